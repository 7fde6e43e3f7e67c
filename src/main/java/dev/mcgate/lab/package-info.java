/**
 * The network-namespace lab: builds a source, a router and two receivers on one machine, and the paced multicast sender and receiver used by the demo, the tests and the benchmark.
 *
 * <p>Threads: main thread; the sender and receiver each run on the calling thread.
 */
package dev.mcgate.lab;
