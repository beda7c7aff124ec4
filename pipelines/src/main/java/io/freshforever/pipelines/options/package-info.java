/**
 * Every setting of every pipeline, declared once as a Beam options interface per concern (ingest
 * log, lake, serving store, live view); the pipelines' options and the {@code fresh}
 * command line are built from these, with defaults from {@link
 * io.freshforever.contract.EventContract}.
 */
package io.freshforever.pipelines.options;
