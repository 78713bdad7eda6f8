import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The boundary errors ESLint reports for `code` as if it were the file at `filePath`. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${filePath}` });
  return result!.messages.filter((m) => m.ruleId === "boundaries/dependencies").map((m) => m.message);
}

describe("the architecture's import rules (npm run lint)", () => {
  it.each([
    [
      "app/domain/x.ts",
      `import { getDb } from "../db.server";\nexport const x = getDb;`,
      "The domain is pure",
    ],
    [
      "app/domain/x.ts",
      `import { PrismaClient } from "@prisma/client";\nexport const x = PrismaClient;`,
      "The domain is pure",
    ],
    [
      "app/services/x.server.ts",
      `import { loader } from "../routes/app.tsx";\nexport const x = loader;`,
      "Services import no route",
    ],
    [
      "app/services/x.server.ts",
      `import { createWorker } from "../jobs/worker.server";\nexport const x = createWorker;`,
      "Services import no route, no worker",
    ],
    [
      "app/queue/x.ts",
      `import { executeRequest } from "../services/execution/request-execution.server";\nexport const x = executeRequest;`,
      "The queue sits below services",
    ],
    [
      "app/jobs/x.server.ts",
      `import { authenticate } from "@shopify/shopify-app-remix/server";\nexport const x = authenticate;`,
      "The worker imports no Remix",
    ],
    [
      "app/jobs/x.server.ts",
      `import { json } from "@remix-run/node";\nexport const x = json;`,
      "The worker imports no Remix",
    ],
    [
      "app/routes/x.tsx",
      `import { createAdminApiSimulator } from "../../simulator/admin-api";\nexport const x = createAdminApiSimulator;`,
      "Production code never imports",
    ],
    [
      "server/main.ts",
      `export const load = () => import("./demo/admin-frame");`,
      "Production code never imports",
    ],
    [
      "app/services/x.server.ts",
      `import { redirect } from "@remix-run/node";\nexport const x = redirect;`,
      "Only routes and entry points know Remix",
    ],
  ])("%s: a violating import fails", async (file, code, message) => {
    expect(await boundaryErrors(file, code)).toEqual([expect.stringContaining(message)]);
  });

  it("lets each layer import the ones below it", async () => {
    expect(
      await boundaryErrors(
        "app/services/x.server.ts",
        `import { nextStatus } from "../domain/request-lifecycle";\nimport { enqueueJob } from "../queue/job-queue.server";\nexport const x = [nextStatus, enqueueJob];`,
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        "app/jobs/x.server.ts",
        `import { executeRequest } from "../services/execution/request-execution.server";\nexport const x = executeRequest;`,
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        "test/unit/x.test.ts",
        `import { createAdminApiSimulator } from "../../simulator/admin-api";\nexport const x = createAdminApiSimulator;`,
      ),
    ).toEqual([]);
  });
});
