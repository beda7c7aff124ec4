/**
 * The composite transforms both paths share, free of any I/O: parse with dead letters, deduplicate
 * (per window live, exactly in batch), count per event type and window (live panes or exact), and
 * the metric names they report. A change to what is counted goes here, and then holds for the live
 * view, the warehouse and replay alike.
 */
package io.freshforever.transforms;
