import { getDb } from "../db.server";
import { getKeyring } from "../keys.server";
import { ingestComplianceBatch } from "../services/compliance-intake.server";
import { createIntakeBatcher, type IntakeBatcher } from "../services/intake-batcher.server";

let batcher: IntakeBatcher | undefined;

/** The process's one intake queue, so concurrent webhooks share transactions. */
export function getIntake(): IntakeBatcher {
  batcher ??= createIntakeBatcher((take) => ingestComplianceBatch(getDb(), getKeyring(), take));
  return batcher;
}
