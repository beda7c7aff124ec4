/**
 * The event generator and what its output must count to: named settings, one default mix of
 * duplicates, late and bad records.
 */
package io.freshforever.runners.generate;
