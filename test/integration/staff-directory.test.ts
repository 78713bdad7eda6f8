import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../app/db.server";
import { actorName } from "../../app/domain/staff-names";
import { staffDirectory, staffNames } from "../../app/services/staff.server";
import { OTHER_SHOP, SHOP } from "../helpers/constants";
import { resetDatabase } from "../helpers/reset";
import { signedInStaff } from "../helpers/staff";

beforeEach(resetDatabase);

describe("the staff directory: who has opened the app in one shop", () => {
  it("GIVEN staff of two shops WHEN a shop's directory is read THEN it names its own staff only, owners first", async () => {
    await signedInStaff({ userId: "11", role: "approver", name: { firstName: "Arjun", lastName: "Patel" } });
    await signedInStaff({ userId: "10", owner: true, name: { firstName: "Olivia", lastName: "Martin" } });
    await signedInStaff({
      userId: "12",
      name: { firstName: null, lastName: null, email: "no.name@store.example" },
      userScopes: "read_customers",
    });
    await signedInStaff({ userId: "13", name: { firstName: "Una", lastName: "Known" }, userScopes: null });
    await signedInStaff({ shop: OTHER_SHOP, userId: "99", name: { firstName: "Other", lastName: "Shop" } });
    // The same person in both shops is named in each from that shop's own session.
    await signedInStaff({
      shop: OTHER_SHOP,
      userId: "11",
      name: { firstName: "Arjun", lastName: "Elsewhere" },
    });

    const directory = await staffDirectory(getDb(), SHOP);

    // (and says whether Shopify lets each erase customer data, or that it did not say)
    expect(directory).toEqual([
      {
        userId: "10",
        name: "Olivia Martin",
        email: "staff10@store.example",
        isOwner: true,
        mayEraseCustomerData: true,
      },
      {
        userId: "11",
        name: "Arjun Patel",
        email: "staff11@store.example",
        isOwner: false,
        mayEraseCustomerData: true,
      },
      {
        userId: "12",
        name: "no.name@store.example",
        email: "no.name@store.example",
        isOwner: false,
        mayEraseCustomerData: false,
      },
      {
        userId: "13",
        name: "Una Known",
        email: "staff13@store.example",
        isOwner: false,
        mayEraseCustomerData: null,
      },
    ]);
    const names = staffNames(directory);
    expect(actorName("staff:11", names)).toBe("Arjun Patel");
    expect(actorName("staff:99", names)).toBe("Staff member 99");
  });

  it("GIVEN the offline session only WHEN the directory is read THEN it is empty", async () => {
    await signedInStaff({ userId: "10", owner: true });
    await getDb().session.deleteMany({ where: { isOnline: true } });

    expect(await staffDirectory(getDb(), SHOP)).toEqual([]);
  });
});
