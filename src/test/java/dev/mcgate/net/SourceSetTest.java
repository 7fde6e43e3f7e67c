package dev.mcgate.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Checks the set algebra against java.util.TreeSet as a model and against the laws RFC 3376 §6.4 relies on. */
class SourceSetTest {

    private final Random random = new Random(20261123);

    /** Small sets drawn from a small universe, so that overlaps are common; high addresses test unsigned order. */
    private SourceSet randomSet() {
        List<Ip4> members = new ArrayList<>();
        int size = random.nextInt(8);
        for (int i = 0; i < size; i++) {
            members.add(universe(random.nextInt(12)));
        }
        return SourceSet.of(members);
    }

    private static Ip4 universe(int i) {
        return i < 6 ? Ip4.of(10, 0, 0, i) : Ip4.of(200 + i, 1, 2, 3);
    }

    private static TreeSet<Ip4> model(SourceSet set) {
        TreeSet<Ip4> model = new TreeSet<>();
        set.forEach(a -> model.add((Ip4) a));
        return model;
    }

    @Test
    void operationsMatchTheModel() {
        for (int i = 0; i < 5000; i++) {
            SourceSet a = randomSet();
            SourceSet b = randomSet();
            TreeSet<Ip4> union = model(a);
            union.addAll(model(b));
            TreeSet<Ip4> intersection = model(a);
            intersection.retainAll(model(b));
            TreeSet<Ip4> difference = model(a);
            difference.removeAll(model(b));
            assertEquals(new ArrayList<>(union), a.union(b).asList());
            assertEquals(new ArrayList<>(intersection), a.intersection(b).asList());
            assertEquals(new ArrayList<>(difference), a.difference(b).asList());
            for (int u = 0; u < 12; u++) {
                assertEquals(model(a).contains(universe(u)), a.contains(universe(u)));
            }
        }
    }

    @Test
    void algebraLaws() {
        for (int i = 0; i < 5000; i++) {
            SourceSet a = randomSet();
            SourceSet b = randomSet();
            SourceSet c = randomSet();
            assertEquals(a.union(b), b.union(a));
            assertEquals(a.intersection(b), b.intersection(a));
            assertEquals(a.union(b).union(c), a.union(b.union(c)));
            assertEquals(a.intersection(b).intersection(c), a.intersection(b.intersection(c)));
            assertEquals(a.union(b.intersection(c)), a.union(b).intersection(a.union(c)));
            assertEquals(a.intersection(b.union(c)), a.intersection(b).union(a.intersection(c)));
            // De Morgan relative to A.
            assertEquals(a.difference(b.union(c)), a.difference(b).intersection(a.difference(c)));
            assertEquals(a.difference(b.intersection(c)), a.difference(b).union(a.difference(c)));
            assertEquals(a, a.union(a));
            assertEquals(a, a.intersection(a));
            assertEquals(SourceSet.EMPTY, a.difference(a));
            assertEquals(a, a.union(SourceSet.EMPTY));
            assertEquals(SourceSet.EMPTY, a.intersection(SourceSet.EMPTY));
            // (A - B) and (A * B) partition A.
            assertEquals(a, a.difference(b).union(a.intersection(b)));
            assertEquals(SourceSet.EMPTY, a.difference(b).intersection(b));
            assertEquals(a.hashCode(), SourceSet.of(model(a)).hashCode());
        }
    }

    @Test
    void keepsUnsignedAddressOrderAndDropsDuplicates() {
        SourceSet set = SourceSet.of(
                Ip4.parse("200.0.0.1"),
                Ip4.parse("10.0.0.1"),
                Ip4.parse("255.255.255.255"),
                Ip4.parse("10.0.0.1"),
                Ip4.parse("0.0.0.0"),
                Ip4.parse("128.0.0.0"));
        assertEquals(
                List.of(
                        Ip4.parse("0.0.0.0"),
                        Ip4.parse("10.0.0.1"),
                        Ip4.parse("128.0.0.0"),
                        Ip4.parse("200.0.0.1"),
                        Ip4.parse("255.255.255.255")),
                set.asList());
        assertEquals(5, set.size());
        assertEquals("{0.0.0.0, 10.0.0.1, 128.0.0.0, 200.0.0.1, 255.255.255.255}", set.toString());
    }

    @Test
    void firstTakesTheLowestAddresses() {
        SourceSet set = SourceSet.of(Ip4.parse("10.0.0.3"), Ip4.parse("10.0.0.1"), Ip4.parse("10.0.0.2"));
        assertEquals(
                List.of(Ip4.parse("10.0.0.1"), Ip4.parse("10.0.0.2")),
                set.first(2).asList());
        assertSame(set, set.first(3));
        assertTrue(set.first(0).isEmpty());
    }

    @Test
    void emptyIsEmpty() {
        assertTrue(SourceSet.of().isEmpty());
        assertFalse(SourceSet.of(Ip4.ANY).isEmpty());
        assertFalse(SourceSet.EMPTY.iterator().hasNext());
        assertSame(SourceSet.EMPTY, SourceSet.of(List.of()));
    }
}
