import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { findPgBin } from "./lib/pg-cluster";
import { planInstall, POSTGRESQL_PREPARE, type MachineFacts } from "./lib/system-packages";

// npm test's pretest step: the browser tests drive Debian's Chromium (playwright-core downloads no
// browser) and the integration suite runs a second time on a private PostgreSQL cluster from
// Debian's package, so a fresh machine gets both here instead of from steps typed by hand.
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const succeeds = (command: string, args: string[]) =>
  spawnSync(command, args, { stdio: "ignore" }).status === 0;

const machine = {
  hasAptGet: succeeds("sh", ["-c", "command -v apt-get"]),
  isRoot: process.getuid?.() === 0,
  passwordlessSudo: succeeds("sh", ["-c", "command -v sudo && sudo -n true"]),
};

const needs: {
  pkg: string;
  what: string;
  present: () => boolean;
  prepare?: string;
  seconds: number;
}[] = [
  { pkg: "chromium", what: "The browser tests", present: () => existsSync(chromium), seconds: 30 },
  {
    pkg: "postgresql",
    what: "The integration tests on PostgreSQL",
    present: () => findPgBin() !== null,
    prepare: POSTGRESQL_PREPARE,
    seconds: 40,
  },
];

for (const need of needs) {
  const facts: MachineFacts = { ...machine, present: need.present() };
  const plan = planInstall(need.pkg, need.what, facts, { prepare: need.prepare });
  if (plan.action === "stop") {
    process.stderr.write(`${plan.message}\n`);
    process.exit(1);
  }
  if (plan.action === "install") {
    process.stdout.write(
      `${need.what} need ${need.pkg}; installing Debian's package (about ${need.seconds} s)…\n`,
    );
    const [command, ...args] = plan.command;
    const result = spawnSync(command!, args, { stdio: "inherit" });
    if (result.status !== 0 || !need.present()) {
      process.stderr.write(
        `Installing ${need.pkg} failed; run sudo apt-get install -y ${need.pkg} and npm test again.\n`,
      );
      process.exit(1);
    }
  }
}
