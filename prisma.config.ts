import { defineConfig } from "prisma/config";
import { PrismaCliSQLite } from "./prisma/cli-adapter";

// The Prisma CDN is unreachable here, so the CLI runs on the JavaScript engine through the same
// driver adapter the app uses (see docs/decisions/002).
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    return new PrismaCliSQLite({ url: process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite" });
  },
});
