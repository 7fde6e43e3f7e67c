/**
 * The network-namespace lab: builds a source, a router and two receivers on one machine, and the paced multicast sender and receiver used by the demo, the tests and the benchmark.
 * {@code LabBench} is {@code mcgate lab bench}: mcgate and the kernel's forwarding measured in turn, with its probes
 * ({@code CapacityProbe}, {@code LatencyProbe}, {@code JoinLeaveProbe}, {@code ReportLoad}) and pure helpers
 * ({@code RateSearch}, {@code BenchStatistics}, {@code ProcFiles}, {@code BenchReport}). What mcgate holds (its groups,
 * queriers, interface states, whether it is ready) is asked on its control socket ({@code ControlSocketProbe}), not
 * read from its log lines.
 *
 * <p>Threads: main thread; the sender and receiver each run on the calling thread. The benchmark also opens sockets
 * and pcap handles inside namespaces through short-lived {@code Netns} threads, and its wire captures count on their
 * own capture threads (atomics only).
 */
package dev.mcgate.lab;
