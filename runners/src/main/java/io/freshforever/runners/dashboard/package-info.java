/**
 * The standalone dashboard: a small HTTP server reading the live view and the pipeline's metrics,
 * and the page it serves.
 */
package io.freshforever.runners.dashboard;
