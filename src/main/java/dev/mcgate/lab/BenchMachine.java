package dev.mcgate.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the figures were measured on: CPU model, cores, kernel, Java, mcgate's version and the date.
 */
final class BenchMachine {

    private BenchMachine() {}

    static Map<String, String> describe(String mcgateVersion, String kernelForwarder) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cpu_model", cpuModel());
        m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        m.put("mcgate", mcgateVersion);
        m.put("kernel_forwarder", kernelForwarder);
        m.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return m;
    }

    static String cpuModel() {
        try {
            return cpuModel(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The first "model name" of /proc/cpuinfo. */
    static String cpuModel(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("model name")) {
                int colon = line.indexOf(':');
                return colon < 0 ? "unknown" : line.substring(colon + 1).strip();
            }
        }
        return "unknown";
    }
}
