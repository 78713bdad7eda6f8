/**
 * What `npm test` does about a Debian package its tests need (Chromium for the browser tests):
 * nothing when it is there, install it when this user can, or stop with the one command to run.
 * Pure, so each case is tested without touching the machine.
 */
export interface MachineFacts {
  present: boolean;
  hasAptGet: boolean;
  isRoot: boolean;
  passwordlessSudo: boolean;
}

export type InstallPlan =
  { action: "none" } | { action: "install"; command: string[] } | { action: "stop"; message: string };

export function planInstall(
  pkg: string,
  what: string,
  facts: MachineFacts,
  options: { prepare?: string } = {},
): InstallPlan {
  if (facts.present) return { action: "none" };
  const manual = `sudo apt-get install -y ${pkg}`;
  if (!facts.hasAptGet) {
    return {
      action: "stop",
      message: `${what} needs Debian's ${pkg} package, and this machine has no apt-get. Install ${pkg} (or set CHROMIUM_PATH) and run npm test again.`,
    };
  }
  if (!facts.isRoot && !facts.passwordlessSudo) {
    return {
      action: "stop",
      message: `${what} needs Debian's ${pkg} package. Run this once, then npm test again:\n\n  ${manual}\n`,
    };
  }
  const sudo = facts.isRoot ? "" : "sudo -n ";
  const prepare = options.prepare ? `${sudo}sh -c '${options.prepare}' && ` : "";
  return {
    action: "install",
    command: [
      "sh",
      "-c",
      `${prepare}${sudo}apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${sudo}apt-get install -y -qq ${pkg}`,
    ],
  };
}

/**
 * Before installing Debian's postgresql: no `main` cluster run as a system service. The tests and
 * `npm run db:pg` start private clusters of their own (scripts/lib/pg-cluster.ts); this is
 * postgresql-common's documented switch (createcluster.conf), in a drop-in of its own.
 */
export const POSTGRESQL_PREPARE =
  "mkdir -p /etc/postgresql-common/createcluster.d && echo create_main_cluster = false > /etc/postgresql-common/createcluster.d/privacy-desk.conf";
