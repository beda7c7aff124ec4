package io.freshforever.contract;

/**
 * Machine-readable reason a record went to the dead-letter output instead of the event stream.
 *
 * <p>The names are part of the contract: they are written to the lake's {@code dlq/} partition and
 * dashboards alert on them, so a name is never renamed or reused.
 */
public enum RejectReason {
  /** The Kafka value was null (a tombstone) or zero bytes long. */
  EMPTY_PAYLOAD,
  /** The value is larger than {@link EventContract#MAX_PAYLOAD_BYTES}. */
  PAYLOAD_TOO_LARGE,
  /** The value is not valid UTF-8. */
  NOT_UTF8,
  /** The value is not one well-formed JSON document (syntax error, trailing data, repeated key). */
  NOT_JSON,
  /** The value is JSON, but not a JSON object. */
  NOT_AN_OBJECT,
  /** A required field is absent or JSON {@code null}. */
  MISSING_FIELD,
  /** A field is present with the wrong type or a value outside the contract. */
  INVALID_FIELD,
  /**
   * {@code event_time} lies further ahead of the time the log accepted the record than the allowed
   * clock skew.
   */
  EVENT_TIME_IN_FUTURE,
  /**
   * {@code event_time} lies further behind the time the log accepted the record than the contract's
   * horizon ({@link EventContract#DEFAULT_MAX_EVENT_AGE_DAYS} by default): no window, lake folder or
   * warehouse day is opened for it.
   */
  EVENT_TIME_TOO_OLD,
  /**
   * Any other failure that a transform routed to the dead-letter handler; the message carries the
   * exception. Parsing itself never produces it.
   */
  PROCESSING_FAILURE
}
