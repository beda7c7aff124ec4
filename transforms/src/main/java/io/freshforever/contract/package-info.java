/**
 * The event contract (docs/CONTRACT.md): the event and its parser, the raw record, dead letters
 * and their reasons, the window count, their coders and every default number. No I/O: each store's
 * layout lives next to the code that reads and writes it (the lake's in {@code
 * io.freshforever.pipelines.lake}, the serving store's in {@code io.freshforever.pipelines.live},
 * the warehouse's in {@code io.freshforever.pipelines.warehouse}), while their schema files stay
 * here, as part of the contract.
 */
package io.freshforever.contract;
