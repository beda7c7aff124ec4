/**
 * The {@code fresh} command line: one class per command, each parsing its flags and delegating to
 * a pipeline or a tool.
 */
package io.freshforever.runners;
