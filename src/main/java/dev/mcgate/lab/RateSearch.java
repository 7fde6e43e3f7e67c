package dev.mcgate.lab;

import java.util.OptionalDouble;

/**
 * Finds the highest offered rate a forwarder passes with less than the allowed loss, in few steps: the rate doubles
 * from a start value until a step fails (or the ceiling is reached), then the gap between the last pass and the
 * first failure is halved a fixed number of times. Pure: the caller runs each step and reports its loss.
 *
 * <p>A sender that falls short of the offered rate ends the doubling: it has found the ceiling. Except at the first
 * rate, which is offered once more: the sender's start costs a short step more than a tenth of it now and then, and a
 * search that stopped there reported about 20 k pps where the next run of the same point reached 100-150 k.
 */
public final class RateSearch {

    /** Halvings tried when even the start rate fails, before giving up: down to 1/16 of it. */
    static final int MAX_HALVINGS = 4;

    private final double ceiling;
    private final double maxLoss;
    private int bisectionsLeft;
    private int halvings;
    private double next;
    private double highestPass = Double.NaN;
    private double lowestFail = Double.NaN;
    private boolean done;
    private int steps;
    private boolean startRetried;

    /**
     * @param start the first rate tried, > 0
     * @param ceiling no rate above this is tried (what the sender can offer)
     * @param maxLoss the loss fraction a step may have and still pass, e.g. 0.01
     * @param bisections how many halvings after the first failure
     */
    public RateSearch(double start, double ceiling, double maxLoss, int bisections) {
        if (!(start > 0) || !(ceiling >= start) || !(maxLoss >= 0 && maxLoss < 1) || bisections < 0) {
            throw new IllegalArgumentException("bad rate search: start " + start + ", ceiling " + ceiling
                    + ", max loss " + maxLoss + ", bisections " + bisections);
        }
        this.ceiling = ceiling;
        this.maxLoss = maxLoss;
        this.bisectionsLeft = bisections;
        this.next = start;
    }

    /** The next rate to offer, or empty when the search is over. */
    public OptionalDouble next() {
        return done ? OptionalDouble.empty() : OptionalDouble.of(next);
    }

    /**
     * Reports the step just run at {@link #next()}.
     *
     * @param rate the rate the step really reached (the sender may fall short of the offered one)
     * @param loss the fraction of datagrams lost
     */
    public void record(double rate, double loss) {
        if (done) {
            throw new IllegalStateException("the search is over");
        }
        steps++;
        boolean pass = loss < maxLoss;
        if (pass) {
            highestPass = Double.isNaN(highestPass) ? rate : Math.max(highestPass, rate);
        } else {
            lowestFail = Double.isNaN(lowestFail) ? next : Math.min(lowestFail, next);
        }
        if (Double.isNaN(lowestFail)) {
            // Still doubling; a sender that cannot reach the offered rate has found the ceiling for us.
            boolean senderLimited = rate < 0.9 * next;
            if (senderLimited && steps == 1 && !startRetried) {
                startRetried = true;
                steps = 0;
                return; // the same rate again
            }
            if (next >= ceiling || senderLimited) {
                done = true;
            } else {
                next = Math.min(ceiling, next * 2);
            }
            return;
        }
        if (Double.isNaN(highestPass)) {
            // Even the first rate failed: halve until something passes, a few times at most.
            if (halvings++ == MAX_HALVINGS) {
                done = true;
            } else {
                next = next / 2;
            }
            return;
        }
        if (bisectionsLeft == 0) {
            done = true;
        } else {
            bisectionsLeft--;
            next = (highestPass + lowestFail) / 2;
        }
    }

    /** The highest rate that passed, NaN if none did. */
    public double highestPass() {
        return highestPass;
    }

    public boolean isDone() {
        return done;
    }
}
