package dev.mcgate.lab;

import dev.mcgate.io.linux.Netns;
import dev.mcgate.net.Ip4;
import java.io.IOException;
import java.net.NetworkInterface;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One-way latency of lab datagrams at a fixed moderate rate: the source stamps each payload with the wall clock, the
 * receiver's kernel stamps its arrival (SO_TIMESTAMP) on the same clock. Measured through the router, and without it
 * (a receiver in the router namespace on the source's link) to have what the router hop adds.
 */
final class LatencyProbe {

    static final Ip4 GROUP = Ip4.of(239, 7, 1, 1);
    static final int PORT = 5002;
    /** Time for the receiver's join to reach the forwarder before the stream starts. */
    private static final long JOIN_MILLIS = 700;

    /** Percentiles in microseconds. */
    record Result(double p50, double p99, long received) {}

    private final LabTopology topology;

    LatencyProbe(LabTopology topology) {
        this.topology = topology;
    }

    /** Through the forwarder under test, to a receiver it serves (a namespace of its {@code receivers()}). */
    Result through(String receiverNs, BenchPlan plan, int pps) throws LabException {
        return measure(receiverNs, null, plan, pps);
    }

    /** Without a router hop: received in the router namespace on the upstream link, with no forwarder running. */
    Result direct(BenchPlan plan) throws LabException {
        try {
            NetworkInterface up0 =
                    Netns.call(topology.router(), () -> NetworkInterface.getByName(LabTopology.UPSTREAM_IF));
            return measure(topology.router(), up0, plan, plan.latencyPps());
        } catch (IOException e) {
            throw new LabException("latency without router: " + e.getMessage());
        }
    }

    private Result measure(String receiverNs, NetworkInterface nif, BenchPlan plan, int pps) throws LabException {
        Duration streaming = Duration.ofMillis((long) (plan.latencySeconds() * 1000));
        ReceiveOptions ro =
                new ReceiveOptions(GROUP, PORT, null, nif, 0, streaming.plusMillis(JOIN_MILLIS + 500), null, 4 << 20);
        FutureTask<ReceiveStats> receiving = new FutureTask<>(() ->
                Netns.call(receiverNs, () -> new MulticastReceiver(ro, Clock.systemUTC(), System::nanoTime).run()));
        Thread t = new Thread(receiving, "bench-latency-rx");
        t.setDaemon(true);
        t.start();
        try {
            CapacityProbe.sleep(JOIN_MILLIS);
            SendOptions so = new SendOptions(GROUP, PORT, null, null, pps, 64, 32, 0, streaming, false);
            MulticastSender.runIn(topology.source(), so);
            ReceiveStats stats = receiving.get();
            if (stats.received() == 0) {
                throw new LabException("latency: nothing arrived in " + receiverNs);
            }
            return new Result(stats.latencyPercentile(50), stats.latencyPercentile(99), stats.received());
        } catch (IOException e) {
            throw new LabException("latency: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        } catch (ExecutionException e) {
            throw new LabException("latency receiver in " + receiverNs + ": " + e.getCause());
        }
    }
}
