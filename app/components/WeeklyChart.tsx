import { BlockStack, Text } from "@shopify/polaris";

/** Requests received per week as bars; the numbers are also in the accessible label. */
export function WeeklyChart({ weeks }: { weeks: { weekStart: string; count: number }[] }) {
  const max = Math.max(1, ...weeks.map((week) => week.count));
  const width = 36;
  const height = 120;
  const label = `Requests received per week: ${weeks.map((week) => `week of ${week.weekStart}: ${week.count}`).join("; ")}`;
  return (
    <BlockStack gap="200">
      <svg
        role="img"
        aria-label={label}
        viewBox={`0 0 ${weeks.length * width} ${height + 20}`}
        width="100%"
        height={height + 20}
      >
        {weeks.map((week, i) => {
          const barHeight = Math.round((week.count / max) * height);
          return (
            <g key={week.weekStart}>
              <rect
                x={i * width + 6}
                y={height - barHeight}
                width={width - 12}
                height={barHeight}
                rx={3}
                fill="#2c6ecb"
              />
              <text
                x={i * width + width / 2}
                y={height + 14}
                textAnchor="middle"
                fontSize="10"
                fill="#4a4a4a"
              >
                {week.count}
              </text>
            </g>
          );
        })}
      </svg>
      <Text as="p" variant="bodySm" tone="subdued">
        Last {weeks.length} weeks, from the week of {weeks[0]?.weekStart}
      </Text>
    </BlockStack>
  );
}
