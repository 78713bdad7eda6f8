import { describe, expect, it } from "vitest";
import { planInstall, POSTGRESQL_PREPARE, type MachineFacts } from "../../scripts/lib/system-packages";

const machine = (facts: Partial<MachineFacts>): MachineFacts => ({
  present: false,
  hasAptGet: true,
  isRoot: false,
  passwordlessSudo: false,
  ...facts,
});

describe("npm test's install step for Chromium", () => {
  it("does nothing when the package is there", () => {
    expect(planInstall("chromium", "The browser tests", machine({ present: true }))).toEqual({
      action: "none",
    });
  });

  it("installs with apt-get as root, and through sudo -n when that needs no password", () => {
    expect(planInstall("chromium", "The browser tests", machine({ isRoot: true }))).toEqual({
      action: "install",
      command: [
        "sh",
        "-c",
        "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
      ],
    });
    const viaSudo = planInstall("chromium", "The browser tests", machine({ passwordlessSudo: true }));
    expect(viaSudo).toMatchObject({ action: "install" });
    expect((viaSudo as { command: string[] }).command[2]).toContain("sudo -n apt-get install");
  });

  it("stops with the one command to run when it cannot install", () => {
    const plan = planInstall("chromium", "The browser tests", machine({}));
    expect(plan).toEqual({
      action: "stop",
      message: expect.stringContaining("sudo apt-get install -y chromium"),
    });
    expect(
      planInstall("chromium", "The browser tests", machine({ hasAptGet: false, isRoot: true })),
    ).toMatchObject({
      action: "stop",
    });
  });
});

describe("npm test's install step for PostgreSQL", () => {
  it("keeps the package from creating and starting a system cluster before it installs it", () => {
    // GIVEN a root shell on a machine without PostgreSQL
    const plan = planInstall("postgresql", "The PostgreSQL tests", machine({ isRoot: true }), {
      prepare: POSTGRESQL_PREPARE,
    });
    // THEN the drop-in that says create_main_cluster = false is written first, then the package
    expect(plan).toEqual({
      action: "install",
      command: [
        "sh",
        "-c",
        `sh -c '${POSTGRESQL_PREPARE}' && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql`,
      ],
    });
    expect(POSTGRESQL_PREPARE).toContain("create_main_cluster = false");
    // AND through sudo, each step is run with sudo -n
    const viaSudo = planInstall("postgresql", "x", machine({ passwordlessSudo: true }), {
      prepare: POSTGRESQL_PREPARE,
    }) as { command: string[] };
    expect(viaSudo.command[2]).toMatch(/^sudo -n sh -c '.*' && sudo -n apt-get update/);
  });
});
