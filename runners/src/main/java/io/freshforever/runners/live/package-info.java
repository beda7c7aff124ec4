/**
 * Reading the live view outside Beam, as a dashboard does, through the pipeline's row codec.
 */
package io.freshforever.runners.live;
