/**
 * The Bigtable serving store: its row and codec ({@link io.freshforever.pipelines.live.LiveRow},
 * used by every writer and reader), the table the options name, and the writes of the live path
 * and of replay.
 */
package io.freshforever.pipelines.live;
