import { z } from "zod";
import { emailProblem } from "./contact-details";
import { ROLES } from "./roles";
import { LOCALE_NAMES } from "./storefront-texts";
import { TEAM_EMAIL_LANGUAGES, type TeamEmailLanguage } from "./team-email-texts";

/** How a request from the storefront is verified before the merchant reviews it. */
export const VERIFICATION_POLICIES = [
  "shopify_customer_login",
  "email_confirmation",
  "manual_review",
] as const;
export type VerificationPolicy = (typeof VERIFICATION_POLICIES)[number];

export interface ShopPreferences {
  verificationPolicy: VerificationPolicy;
  autoApproveCustomerAccess: boolean;
  notificationEmails: string[];
  exportRetentionDays: number;
  /** An approver releases each access export before the requester may download it. */
  holdExportsForRelease: boolean;
  /** The sender name on emails to requesters (the address stays the app's), null: the store's name. */
  emailSenderName: string | null;
  /** Where a requester's reply goes, null: the app's sending address. */
  emailReplyTo: string | null;
  /** The language of the emails to the notification addresses (review needed, failed, digest). */
  teamEmailLanguage: TeamEmailLanguage;
}

export const DEFAULT_PREFERENCES: ShopPreferences = {
  verificationPolicy: "email_confirmation",
  autoApproveCustomerAccess: false,
  notificationEmails: [],
  exportRetentionDays: 7,
  holdExportsForRelease: false,
  emailSenderName: null,
  emailReplyTo: null,
  teamEmailLanguage: "en",
};

/** Controls, bidi overrides, and what an address header would read as syntax. */
const UNSAFE_IN_NAME = /[\p{Cc}\p{Cf}<>"@\\]/u;

const checkbox = z
  .union([z.literal("on"), z.literal("true"), z.literal("false"), z.literal("")])
  .optional()
  .transform((value) => value === "on" || value === "true");

/** The settings form, as submitted: every field checked, every problem named. */
export const preferencesForm = z.object({
  verificationPolicy: z.enum(VERIFICATION_POLICIES, {
    errorMap: () => ({ message: "Choose a verification policy" }),
  }),
  autoApproveCustomerAccess: checkbox,
  notificationEmails: z
    .string()
    .max(2000, "Too many addresses")
    .transform((value) =>
      value
        .split(/[\s,;]+/)
        .map((address) => address.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z.string().superRefine((address, ctx) => {
            const problem = emailProblem(address);
            if (problem)
              ctx.addIssue({ code: z.ZodIssueCode.custom, message: `A notification address ${problem}` });
          }),
        )
        .max(10, "At most 10 notification addresses"),
    ),
  exportRetentionDays: z.coerce
    .number({ invalid_type_error: "Retention must be a number of days" })
    .int("Retention must be a whole number of days")
    .min(1, "Keep exports at least 1 day")
    .max(90, "Keep exports at most 90 days"),
  holdExportsForRelease: checkbox,
  emailSenderName: z
    .string()
    .trim()
    .max(80, "Keep the sender name to 80 characters")
    .refine(
      (value) => !UNSAFE_IN_NAME.test(value),
      'The sender name cannot contain < > " @ \\ or control characters',
    )
    .optional()
    .transform((value) => value || null),
  emailReplyTo: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || null)
    .superRefine((value, ctx) => {
      const problem = value ? emailProblem(value) : null;
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `The reply-to address ${problem}` });
    }),
  teamEmailLanguage: z.enum(TEAM_EMAIL_LANGUAGES, {
    errorMap: () => ({
      message: `Choose the team email language: ${TEAM_EMAIL_LANGUAGES.map((code) => LOCALE_NAMES[code]).join(", ")}`,
    }),
  }),
});

/** A staff member picked from the list of those who have opened the app, and the role to give them. */
export const roleAssignmentForm = z.object({
  userId: z
    .string({ required_error: "Choose a staff member" })
    .trim()
    .regex(/^\d{1,20}$/, "Choose a staff member"),
  role: z.enum([...ROLES, "none"], {
    errorMap: () => ({ message: "Choose viewer, approver, admin or none" }),
  }),
});
