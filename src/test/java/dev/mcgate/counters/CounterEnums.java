package dev.mcgate.counters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every enum of the main classes that implements {@link Counter}, found by reading the compiled classes, not by
 * asking the catalog: a counter enum someone adds and forgets to register is found here.
 */
public final class CounterEnums {

    private CounterEnums() {}

    /** Every constant of every counter enum, enum by enum in class-name order. */
    public static List<Counter> everyConstant() {
        List<Counter> out = new ArrayList<>();
        for (Class<?> c : enums()) {
            for (Object constant : c.getEnumConstants()) {
                out.add((Counter) constant);
            }
        }
        return out;
    }

    /** The counter enums themselves. */
    public static List<Class<?>> enums() {
        Path classes;
        try {
            classes = Path.of(Counter.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String name =
                        classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, Counter.class.getClassLoader());
                if (c.isEnum() && Counter.class.isAssignableFrom(c)) {
                    out.add(c);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
