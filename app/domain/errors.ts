import type { RequestEvent, RequestStatus } from "./request-lifecycle";

/** Base class so callers can tell domain rule violations from I/O failures. */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class IllegalTransitionError extends DomainError {
  constructor(
    readonly from: RequestStatus,
    readonly event: RequestEvent,
  ) {
    super(`A request in status "${from}" cannot take the event "${event}"`);
  }
}

/** Someone else changed the request between our read and our guarded write. */
export class ConcurrentUpdateError extends DomainError {
  constructor(readonly requestId: string) {
    super(`Request ${requestId} was changed by someone else; reload and try again`);
  }
}

export class RequestNotFoundError extends DomainError {
  constructor(readonly requestId: string) {
    super(`No request ${requestId} in this shop`);
  }
}

export class ExtensionNotAllowedError extends DomainError {}

/** An erasure or correction in Shopify may only run against the record the merchant reviewed. */
export class ReviewRequiredError extends DomainError {}
