/**
 * The {@code fresh} command line: one class per command ({@code *Command}), each parsing its flags
 * and delegating to a pipeline or a tool. Beside them, what the commands share: {@link
 * io.freshforever.runners.BeamRun} and {@link io.freshforever.runners.BeamArgs} (how a command runs
 * a pipeline here), {@link io.freshforever.runners.PipelineFlags} (flags derived from the options
 * interfaces), and {@link io.freshforever.runners.LocalDemo} (what {@code fresh demo} runs).
 */
package io.freshforever.runners;
