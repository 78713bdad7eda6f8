import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { planInstall, type MachineFacts } from "./lib/system-packages";

// npm test's pretest step: the browser tests drive Debian's Chromium (playwright-core downloads no
// browser), so a fresh machine gets it here instead of from a step typed by hand.
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const succeeds = (command: string, args: string[]) =>
  spawnSync(command, args, { stdio: "ignore" }).status === 0;

const facts: MachineFacts = {
  present: existsSync(chromium),
  hasAptGet: succeeds("sh", ["-c", "command -v apt-get"]),
  isRoot: process.getuid?.() === 0,
  passwordlessSudo: succeeds("sh", ["-c", "command -v sudo && sudo -n true"]),
};

const plan = planInstall("chromium", "The browser tests", facts);
if (plan.action === "stop") {
  process.stderr.write(`${plan.message}\n`);
  process.exit(1);
}
if (plan.action === "install") {
  process.stdout.write("The browser tests need Chromium; installing Debian's package (about 30 s)…\n");
  const [command, ...args] = plan.command;
  const result = spawnSync(command!, args, { stdio: "inherit" });
  if (result.status !== 0 || !existsSync(chromium)) {
    process.stderr.write(
      `Installing Chromium failed; run sudo apt-get install -y chromium and npm test again.\n`,
    );
    process.exit(1);
  }
}
