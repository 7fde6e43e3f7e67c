/**
 * picocli commands only: parse arguments, turn them into config records, hand over to daemon or lab.
 *
 * <p>Threads: main thread.
 */
package dev.mcgate.cli;
