/**
 * What running on Flink needs from {@code fresh}: resuming from the newest retained checkpoint
 * after any stop, and a cluster's REST API (which jobs run, cancelling one).
 */
package io.freshforever.runners.flink;
