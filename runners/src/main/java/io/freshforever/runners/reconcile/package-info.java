/**
 * Reconciliation: the live view against the warehouse, window by window, with each difference
 * classified.
 */
package io.freshforever.runners.reconcile;
