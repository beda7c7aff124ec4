/**
 * The local stack (a KRaft broker and the Bigtable emulator as child processes) and what talks to
 * it: reachability, folders, child processes of {@code fresh}.
 */
package io.freshforever.runners.stack;
