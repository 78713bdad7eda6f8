import type { Db, Tx } from "../../db-types";
import { isUniqueViolation } from "../../db-types";
import {
  approvesWithoutReview,
  codeState,
  MAX_CODE_ATTEMPTS,
  resendDecision,
  storefrontRegime,
  verificationPlan,
  type Submission,
} from "../../domain/storefront-request";
import type { StorefrontLocale } from "../../domain/storefront-texts";
import type { ShopPreferences } from "../../domain/settings";
import { enqueueJob } from "../../queue/job-queue.server";
import type { Keyring } from "../../security/keyring";
import { appendAuditEvent, type Actor } from "../audit-log.server";
import { enqueueEmail } from "../email/outbox.server";
import { approveRequest, newRequestRecord, transitionRequest } from "../requests.server";
import {
  createSubject,
  findOrCreateSubject,
  openSubject,
  sealFor,
  type OpenSubject,
} from "../subjects.server";
import { spendFormToken } from "./form-token.server";
import { consumeRateLimits, type RateHit } from "./rate-limit.server";
import { codeHash, codeMatches, newVerificationCode } from "./verification-code.server";

/**
 * Storefront requests: what a shopper's form, code and privacy signal do. Each entry point is one
 * transaction that never waits on Shopify: whether an address belongs to a customer is asked later,
 * by the `storefront_lookup` job, so a known and an unknown address take the same path and the same
 * time (ADR 010).
 */
export const STOREFRONT: Actor = "system:storefront";

export interface StorefrontShop {
  id: string;
  domain: string;
}

export type SubmitResult =
  | { kind: "code"; requestId: string; sendTo: "account_email" | "given_email" }
  | { kind: "staff"; requestId: string }
  | { kind: "opt_out"; requestId: string }
  | { kind: "login_required" }
  | { kind: "token_spent" };

/**
 * Records a shopper's request. Every request is recorded, whether or not its address belongs to
 * a customer; what happens next follows the verification ladder (domain/storefront-request.ts).
 */
export async function submitStorefrontRequest(
  db: Db,
  keyring: Keyring,
  input: {
    shop: StorefrontShop;
    customerId: string | null;
    submission: Submission;
    locale: StorefrontLocale;
    preferences: ShopPreferences;
    token: { nonce: string; expiresAt: Date };
    now: Date;
  },
): Promise<SubmitResult> {
  const { shop, customerId, submission, now } = input;
  const plan = verificationPlan({
    policy: input.preferences.verificationPolicy,
    type: submission.type,
    loggedIn: customerId !== null,
  });
  if (plan.method === "login_required") return { kind: "login_required" };

  return db.$transaction(async (tx): Promise<SubmitResult> => {
    if (!(await spendFormToken(tx, shop.id, input.token))) return { kind: "token_spent" };
    // A logged-in customer is who they are; a typed address gets a subject of its own every time,
    // so nothing about earlier requests for it changes what this one costs.
    const subject = customerId
      ? await findOrCreateSubject(tx, keyring, shop.id, { customerId, email: null })
      : await createSubject(tx, keyring, shop.id, { customerId: null, email: submission.email });
    const { row, audit } = newRequestRecord(keyring, subject, {
      shopId: shop.id,
      type: submission.type,
      source: "storefront",
      regime: storefrontRegime(submission.type),
      verified: plan.method === "none",
      receivedAt: now,
      customerId,
      email: submission.email,
      phone: null,
      requestedChanges: submission.corrections ?? undefined,
      locale: input.locale,
      message: submission.message,
      receivedData: { verification: plan.method, loggedIn: customerId !== null, locale: input.locale },
    });
    await tx.privacyRequest.create({ data: row });
    await appendAuditEvent(tx, keyring, audit("shopper"));

    await recordVerification(tx, keyring, subject, {
      requestId: row.id,
      shopId: shop.id,
      method: plan.method,
      customerId,
      now,
    });
    // With a typed address the email can go at once; an account's address is learnt by the lookup.
    if (submission.email) {
      const template = plan.method === "email_code" ? "verification_code" : "request_received";
      await enqueueEmail(tx, { shopId: shop.id, requestId: row.id, template, locale: input.locale, now });
    }
    if (plan.method === "email_code") return { kind: "code", requestId: row.id, sendTo: plan.sendTo };
    if (plan.method === "staff") return { kind: "staff", requestId: row.id };
    return { kind: "opt_out", requestId: row.id };
  });
}

/**
 * How a new request will prove who asked: its verification row, with a one-time code (kept as a
 * keyed hash, and sealed for the email job until sent) when the method sends one, and the job that
 * looks the requester up in Shopify off the request path. The storefront and the customer account
 * both record requests this way.
 */
export async function recordVerification(
  tx: Tx,
  keyring: Keyring,
  subject: OpenSubject,
  input: { requestId: string; shopId: string; method: string; customerId: string | null; now: Date },
): Promise<void> {
  const code = input.method === "email_code" ? newVerificationCode() : null;
  await tx.storefrontVerification.create({
    data: {
      requestId: input.requestId,
      shopId: input.shopId,
      method: input.method,
      customerId: input.customerId,
      codeHash: code ? codeHash(keyring, input.requestId, code) : null,
      codeCipher: code ? sealFor(subject, "verification-code", code) : null,
      codeIssuedAt: code ? input.now : null,
      createdAt: input.now,
    },
  });
  await enqueueJob(tx, {
    shopId: input.shopId,
    kind: "storefront_lookup",
    payload: { shopId: input.shopId, requestId: input.requestId },
    runAt: input.now,
  });
}

export type VerifyResult =
  | { kind: "verified"; requestId: string; approved: boolean }
  | { kind: "wrong"; attemptsLeft: number }
  | { kind: "locked" }
  | { kind: "expired" }
  | { kind: "unknown" };

/** The verification a shopper may act on: theirs, in this shop, by email code, not yet closed. */
async function loadVerification(
  tx: Tx,
  input: { shopId: string; requestId: string; customerId: string | null },
) {
  const verification = await tx.storefrontVerification.findFirst({
    where: { requestId: input.requestId, shopId: input.shopId, method: "email_code" },
  });
  // A request made while logged in is confirmed by the same customer only: the code alone is not
  // enough to act on an account (re-authentication, not replacement of the login).
  if (!verification || (verification.customerId !== null && verification.customerId !== input.customerId))
    return null;
  const request = await tx.privacyRequest.findFirst({
    where: { id: verification.requestId, shopId: input.shopId },
    select: { status: true, type: true, subjectId: true, emailHash: true, locale: true, emailCipher: true },
  });
  return request ? { ...verification, request } : null;
}

/**
 * Checks a code. Each try counts before it is compared (a guarded update, so parallel guesses
 * cannot share one try); the fifth wrong code locks this request's code, and nothing else.
 */
export async function verifyStorefrontCode(
  db: Db,
  keyring: Keyring,
  input: {
    shopId: string;
    requestId: string;
    customerId: string | null;
    code: string;
    autoApproveCustomerAccess: boolean;
    now: Date;
  },
): Promise<VerifyResult> {
  return db.$transaction(async (tx): Promise<VerifyResult> => {
    const verification = await loadVerification(tx, input);
    if (!verification) return { kind: "unknown" };
    if (verification.verifiedAt)
      return {
        kind: "verified",
        requestId: input.requestId,
        approved: verification.request.status !== "pending_review",
      };
    if (verification.request.status !== "awaiting_verification") return { kind: "unknown" };
    const state = codeState({ ...verification, now: input.now });
    if (state !== "usable") return { kind: state };

    const counted = await tx.storefrontVerification.updateMany({
      where: { requestId: verification.requestId, attempts: verification.attempts, verifiedAt: null },
      data: { attempts: { increment: 1 } },
    });
    if (counted.count !== 1) return { kind: "locked" };
    if (!codeMatches(keyring, verification.requestId, input.code, verification.codeHash)) {
      const attemptsLeft = MAX_CODE_ATTEMPTS - verification.attempts - 1;
      await appendAuditEvent(tx, keyring, {
        shopId: input.shopId,
        requestId: input.requestId,
        actor: "shopper",
        action: attemptsLeft === 0 ? "request.code_locked" : "request.code_rejected",
        occurredAt: input.now,
        data: { attempt: verification.attempts + 1, attemptsLeft },
      });
      return attemptsLeft === 0 ? { kind: "locked" } : { kind: "wrong", attemptsLeft };
    }

    await tx.storefrontVerification.update({
      where: { requestId: verification.requestId },
      data: { verifiedAt: input.now, codeCipher: null },
    });
    await transitionRequest(tx, keyring, {
      shopId: input.shopId,
      requestId: input.requestId,
      event: "verify",
      actor: "shopper",
      now: input.now,
      data: { method: "email_code", loggedIn: verification.customerId !== null },
    });
    const approved = approvesWithoutReview({
      autoApproveCustomerAccess: input.autoApproveCustomerAccess,
      type: verification.request.type as Submission["type"],
      loggedIn: verification.customerId !== null,
    });
    if (approved)
      await approveRequest(tx, keyring, {
        shopId: input.shopId,
        requestId: input.requestId,
        actor: STOREFRONT,
        now: input.now,
      });
    await enqueueEmail(tx, {
      shopId: input.shopId,
      requestId: input.requestId,
      template: "request_received",
      locale: (verification.request.locale ?? "en") as StorefrontLocale,
      now: input.now,
    });
    return { kind: "verified", requestId: input.requestId, approved };
  });
}

export type ResendResult =
  | { kind: "sent" }
  | { kind: "wait" }
  | { kind: "limit" }
  | { kind: "limited"; retryAfterSeconds: number }
  | { kind: "unknown" };

/**
 * A new code for a request still waiting for one: at most three, a minute apart. The new code
 * replaces the old one and has five tries of its own.
 */
export async function resendStorefrontCode(
  db: Db,
  keyring: Keyring,
  input: {
    shopId: string;
    requestId: string;
    customerId: string | null;
    now: Date;
    /** The rate limits a new email counts against, given the request's email index. */
    rateHits: (emailHash: string | null) => RateHit[];
  },
): Promise<ResendResult> {
  return db.$transaction(async (tx): Promise<ResendResult> => {
    const verification = await loadVerification(tx, input);
    if (!verification || verification.verifiedAt || verification.request.status !== "awaiting_verification")
      return { kind: "unknown" };
    const decision = resendDecision({ ...verification, now: input.now });
    if (decision !== "send") return { kind: decision };
    const limited = await consumeRateLimits(
      tx,
      keyring,
      input.rateHits(verification.request.emailHash),
      input.now,
    );
    if (!limited.ok) return { kind: "limited", retryAfterSeconds: limited.retryAfterSeconds };
    const subject = verification.request.subjectId
      ? await openSubject(tx, keyring, verification.request.subjectId)
      : null;
    if (!subject) return { kind: "unknown" };
    const code = newVerificationCode();
    const { count } = await tx.storefrontVerification.updateMany({
      where: { requestId: verification.requestId, resends: verification.resends, verifiedAt: null },
      data: {
        codeHash: codeHash(keyring, verification.requestId, code),
        codeCipher: sealFor(subject, "verification-code", code),
        codeIssuedAt: input.now,
        attempts: 0,
        resends: { increment: 1 },
      },
    });
    if (count !== 1) return { kind: "wait" };
    await appendAuditEvent(tx, keyring, {
      shopId: input.shopId,
      requestId: input.requestId,
      actor: "shopper",
      action: "request.code_resent",
      occurredAt: input.now,
      data: { resend: verification.resends + 1 },
    });
    // Until the lookup has learnt a logged-in customer's address, it sends whichever code is current.
    if (verification.request.emailCipher)
      await enqueueEmail(tx, {
        shopId: input.shopId,
        requestId: input.requestId,
        template: "verification_code",
        locale: (verification.request.locale ?? "en") as StorefrontLocale,
        now: input.now,
      });
    return { kind: "sent" };
  });
}

/**
 * A Global Privacy Control signal from a logged-in customer: a sale/share opt-out for that
 * customer (11 CCR §7025(c)(1)), recorded once per customer however often the signal arrives. The
 * lookup job learns the account's address, then the opt-out is carried out like any other.
 */
export async function recordPrivacySignal(
  db: Db,
  keyring: Keyring,
  input: { shop: StorefrontShop; customerId: string; locale: StorefrontLocale; now: Date },
): Promise<{ kind: "recorded" | "already"; requestId: string }> {
  const dedupeKey = `gpc:${input.customerId}`;
  const existing = await db.privacyRequest.findFirst({
    where: { shopId: input.shop.id, dedupeKey },
    select: { id: true },
  });
  if (existing) return { kind: "already", requestId: existing.id };
  try {
    return await db.$transaction(async (tx) => {
      const subject = await findOrCreateSubject(tx, keyring, input.shop.id, {
        customerId: input.customerId,
        email: null,
      });
      const { row, audit } = newRequestRecord(keyring, subject, {
        shopId: input.shop.id,
        type: "sale_opt_out",
        source: "gpc",
        regime: "ccpa",
        verified: true,
        receivedAt: input.now,
        customerId: input.customerId,
        email: null,
        phone: null,
        locale: input.locale,
        dedupeKey,
        receivedData: { signal: "Sec-GPC / navigator.globalPrivacyControl", loggedIn: true },
      });
      await tx.privacyRequest.create({ data: row });
      await appendAuditEvent(tx, keyring, audit("shopper"));
      await enqueueJob(tx, {
        shopId: input.shop.id,
        kind: "storefront_lookup",
        payload: { shopId: input.shop.id, requestId: row.id },
        runAt: input.now,
      });
      return { kind: "recorded" as const, requestId: row.id };
    });
  } catch (error) {
    // The same customer's signal from two tabs at once: the other transaction recorded it.
    if (!isUniqueViolation(error)) throw error;
    const winner = await db.privacyRequest.findFirstOrThrow({
      where: { shopId: input.shop.id, dedupeKey },
      select: { id: true },
    });
    return { kind: "already", requestId: winner.id };
  }
}
