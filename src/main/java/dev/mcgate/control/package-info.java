/**
 * What an operator can ask for: status, groups, interfaces and counters as immutable snapshots, rendered as text or JSON.
 *
 * <p>Threads: snapshots are built on the loop thread and rendered anywhere.
 */
package dev.mcgate.control;
