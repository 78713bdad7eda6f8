import { createAdminApiSimulator } from "../simulator/admin-api";
import { startSimulatorServer } from "../simulator/http-server";
import { addCustomer, seedStore } from "../simulator/store";

/**
 * The Admin API simulator for the export benchmark, in its own process so the benchmark's
 * memory figure is the exporting worker's alone. Prints one JSON line when ready.
 *   tsx bench/export-simulator.ts <shop> <token> <orders> <bucket size> <restore rate> <port>
 */
const [shop, token, orders, size, restoreRate, port] = process.argv.slice(2);
const url = `http://127.0.0.1:${port}`;
const store = seedStore({ shop: shop!, customers: 5, ordersPerCustomer: 3 });
const customer = addCustomer(store, {
  orders: Number(orders),
  lineItemsPerOrder: 2,
  email: "bench@example.com",
});
const simulator = createAdminApiSimulator({
  stores: [store],
  bucket: { size: Number(size), restoreRate: Number(restoreRate) },
  accessTokens: { [shop!]: token! },
  bulkResultBaseUrl: `${url}/bulk`,
});
await startSimulatorServer(simulator, Number(port));
console.log(JSON.stringify({ ready: true, url, customerId: String(customer.id) }));
