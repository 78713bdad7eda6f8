import { useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Pagination, Text } from "@shopify/polaris";
import { formatDay } from "../../domain/timeline";
import type { RequestView } from "../../services/request-queries.server";
import { deadlineText, requesterLabel, SOURCE_LABEL, STATUS_LABEL, STATUS_TONE, TYPE_LABEL } from "../labels";
import { ShopperText } from "../ShopperText";

/** One page of requests, each row opening its request, and the pages before and after. */
export function RequestsTable(props: {
  requests: Pick<
    RequestView,
    "id" | "type" | "status" | "source" | "email" | "customerId" | "redactedAt" | "receivedAt" | "dueAt"
  >[];
  recordedBy: Record<string, string>;
  next: string | null;
  previous: string | null;
  now: string;
  filtered: boolean;
}) {
  const { requests, recordedBy, next, previous, now, filtered } = props;
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const pageTo = (cursor: { after?: string; before?: string }) => {
    const target = new URLSearchParams(params);
    target.delete("after");
    target.delete("before");
    for (const [key, value] of Object.entries(cursor)) if (value) target.set(key, value);
    navigate(`?${target.toString()}`);
  };

  return (
    <Card padding="0">
      <IndexTable
        resourceName={{ singular: "request", plural: "requests" }}
        itemCount={requests.length}
        selectable={false}
        loading={navigation.state === "loading"}
        emptyState={
          <EmptyState
            heading={filtered ? "No requests match these filters" : "No privacy requests yet"}
            image=""
          >
            <p>
              {filtered
                ? "Change or clear the filters."
                : "Requests from Shopify, your storefront and your team appear here as they arrive."}
            </p>
          </EmptyState>
        }
        headings={[
          { title: "Requester" },
          { title: "Type" },
          { title: "Status" },
          { title: "Source" },
          { title: "Received" },
          { title: "Deadline" },
        ]}
      >
        {requests.map((request, index) => (
          <IndexTable.Row
            id={request.id}
            key={request.id}
            position={index}
            onClick={() => navigate(`/app/requests/${request.id}`)}
          >
            <IndexTable.Cell>
              <a
                href={`/app/requests/${request.id}`}
                onClick={(event) => {
                  // The row navigates on click too; one navigation, not two.
                  event.preventDefault();
                  event.stopPropagation();
                  navigate(`/app/requests/${request.id}`);
                }}
                data-testid="request-link"
              >
                <ShopperText value={requesterLabel(request)} lines={2} />
              </a>
            </IndexTable.Cell>
            <IndexTable.Cell>{TYPE_LABEL[request.type] ?? request.type}</IndexTable.Cell>
            <IndexTable.Cell>
              <Badge tone={STATUS_TONE[request.status]}>
                {STATUS_LABEL[request.status] ?? request.status}
              </Badge>
            </IndexTable.Cell>
            <IndexTable.Cell>
              {recordedBy[request.id] ? (
                <ShopperText value={`Recorded by ${recordedBy[request.id]}`} lines={2} />
              ) : (
                (SOURCE_LABEL[request.source] ?? request.source)
              )}
            </IndexTable.Cell>
            <IndexTable.Cell>{formatDay(request.receivedAt)}</IndexTable.Cell>
            <IndexTable.Cell>
              <Text
                as="span"
                tone={
                  deadlineText(request.dueAt, request.status, now).includes("overdue")
                    ? "critical"
                    : undefined
                }
              >
                {deadlineText(request.dueAt, request.status, now)}
              </Text>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
      <div style={{ padding: "12px", display: "flex", justifyContent: "center" }}>
        <Pagination
          hasPrevious={Boolean(previous)}
          onPrevious={() => pageTo({ before: previous ?? undefined })}
          hasNext={Boolean(next)}
          onNext={() => pageTo({ after: next ?? undefined })}
        />
      </div>
    </Card>
  );
}
