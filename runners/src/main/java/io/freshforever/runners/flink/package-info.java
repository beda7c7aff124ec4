/**
 * What running on Flink needs from {@code fresh}: resuming from the newest retained checkpoint
 * after any stop.
 */
package io.freshforever.runners.flink;
