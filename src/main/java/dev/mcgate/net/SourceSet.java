package dev.mcgate.net;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.RandomAccess;

/**
 * An immutable, sorted set of IPv4 source addresses (the "A", "B" of RFC 3376 §6.4 set algebra),
 * held as a sorted int array so that small sets cost one array and set operations are linear merges.
 */
public final class SourceSet implements Iterable<Ip4> {

    public static final SourceSet EMPTY = new SourceSet(new int[0]);

    /** Sorted by unsigned value (the order of {@link Ip4#compareTo}), no duplicates, never modified. */
    private final int[] bits;

    private SourceSet(int[] sortedUniqueBits) {
        this.bits = sortedUniqueBits;
    }

    public static SourceSet of(Ip4... sources) {
        return of(Arrays.asList(sources));
    }

    public static SourceSet of(Collection<Ip4> sources) {
        if (sources instanceof SourceSetList list) {
            return list.owner;
        }
        int[] raw = new int[sources.size()];
        int n = 0;
        for (Ip4 source : sources) {
            raw[n++] = source.bits();
        }
        return fromBits(raw, n);
    }

    /** Builds a set from the first {@code count} raw address values (any order, duplicates allowed); the array is not kept. */
    public static SourceSet fromBits(int[] raw, int count) {
        if (count == 0) {
            return EMPTY;
        }
        // Flip the sign bit so that a signed sort orders the addresses unsigned.
        int[] sorted = new int[count];
        for (int i = 0; i < count; i++) {
            sorted[i] = raw[i] ^ Integer.MIN_VALUE;
        }
        Arrays.sort(sorted);
        int unique = 0;
        for (int i = 0; i < count; i++) {
            if (unique == 0 || sorted[unique - 1] != sorted[i]) {
                sorted[unique++] = sorted[i];
            }
        }
        for (int i = 0; i < unique; i++) {
            sorted[i] ^= Integer.MIN_VALUE;
        }
        return new SourceSet(unique == count ? sorted : Arrays.copyOf(sorted, unique));
    }

    public int size() {
        return bits.length;
    }

    public boolean isEmpty() {
        return bits.length == 0;
    }

    public boolean contains(Ip4 source) {
        return indexOf(source.bits()) >= 0;
    }

    public Ip4 get(int index) {
        return new Ip4(bits[index]);
    }

    /** A ∪ B. */
    public SourceSet union(SourceSet other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        int[] out = new int[bits.length + other.bits.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < bits.length || j < other.bits.length) {
            int order = i == bits.length
                    ? 1
                    : j == other.bits.length ? -1 : Integer.compareUnsigned(bits[i], other.bits[j]);
            if (order < 0) {
                out[n++] = bits[i++];
            } else if (order > 0) {
                out[n++] = other.bits[j++];
            } else {
                out[n++] = bits[i++];
                j++;
            }
        }
        return make(out, n);
    }

    /** A ∩ B (written A*B in RFC 3376). */
    public SourceSet intersection(SourceSet other) {
        int[] out = new int[Math.min(bits.length, other.bits.length)];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < bits.length && j < other.bits.length) {
            int order = Integer.compareUnsigned(bits[i], other.bits[j]);
            if (order < 0) {
                i++;
            } else if (order > 0) {
                j++;
            } else {
                out[n++] = bits[i++];
                j++;
            }
        }
        return n == bits.length ? this : make(out, n);
    }

    /** A - B: the members of this set that are not in {@code other}. */
    public SourceSet difference(SourceSet other) {
        if (isEmpty() || other.isEmpty()) {
            return this;
        }
        int[] out = new int[bits.length];
        int j = 0;
        int n = 0;
        for (int value : bits) {
            while (j < other.bits.length && Integer.compareUnsigned(other.bits[j], value) < 0) {
                j++;
            }
            if (j == other.bits.length || other.bits[j] != value) {
                out[n++] = value;
            }
        }
        return n == bits.length ? this : make(out, n);
    }

    /** The first {@code count} members in address order (RFC 3376 §4.2.16 asks for the same subset each time). */
    public SourceSet first(int count) {
        return count >= bits.length ? this : make(Arrays.copyOf(bits, count), count);
    }

    /** A read-only list view in ascending address order. */
    public List<Ip4> asList() {
        return new SourceSetList(this);
    }

    @Override
    public Iterator<Ip4> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < bits.length;
            }

            @Override
            public Ip4 next() {
                if (next >= bits.length) {
                    throw new NoSuchElementException();
                }
                return new Ip4(bits[next++]);
            }
        };
    }

    private int indexOf(int value) {
        int low = 0;
        int high = bits.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int order = Integer.compareUnsigned(bits[mid], value);
            if (order < 0) {
                low = mid + 1;
            } else if (order > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private static SourceSet make(int[] sortedUnique, int count) {
        if (count == 0) {
            return EMPTY;
        }
        return new SourceSet(count == sortedUnique.length ? sortedUnique : Arrays.copyOf(sortedUnique, count));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceSet other && Arrays.equals(bits, other.bits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < bits.length; i++) {
            s.append(i == 0 ? "" : ", ").append(new Ip4(bits[i]));
        }
        return s.append('}').toString();
    }

    /** The list view; remembers its set so that {@link SourceSet#of(Collection)} can skip the sort. */
    private static final class SourceSetList extends AbstractList<Ip4> implements RandomAccess {
        private final SourceSet owner;

        SourceSetList(SourceSet owner) {
            this.owner = owner;
        }

        @Override
        public Ip4 get(int index) {
            return owner.get(index);
        }

        @Override
        public int size() {
            return owner.size();
        }
    }
}
