/** Fixed test secrets: never used outside the test suite. */
export const TEST_API_KEY = "test-api-key";
export const TEST_API_SECRET = "test-api-secret-for-webhook-hmac";
export const TEST_APP_URL = "https://privacy-desk.test";
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");
export const SHOP = "first-store.myshopify.com";
export const OTHER_SHOP = "second-store.myshopify.com";
