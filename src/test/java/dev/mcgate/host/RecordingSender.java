package dev.mcgate.host;

import dev.mcgate.packet.GroupRecord;
import dev.mcgate.packet.IgmpMessage;
import dev.mcgate.packet.IgmpSender;
import dev.mcgate.packet.V3MembershipReport;
import dev.mcgate.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** An {@link IgmpSender} for tests: remembers each message with the scheduler time it was sent at. */
public final class RecordingSender implements IgmpSender {

    public record Sent(Duration at, IgmpMessage message) {
        public List<GroupRecord> records() {
            return ((V3MembershipReport) message).records();
        }
    }

    private final Scheduler scheduler;
    private final List<Sent> sent = new ArrayList<>();
    private final Consumer<String> events;

    public RecordingSender(Scheduler scheduler) {
        this(scheduler, e -> {});
    }

    /** Also writes "send ..." into a shared event list, to check ordering against other fakes. */
    public RecordingSender(Scheduler scheduler, Consumer<String> events) {
        this.scheduler = scheduler;
        this.events = events;
    }

    @Override
    public void send(IgmpMessage message) {
        sent.add(new Sent(Duration.ofNanos(scheduler.nanoTime()), message));
        events.accept("send " + message.getClass().getSimpleName());
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    public List<IgmpMessage> messages() {
        return sent.stream().map(Sent::message).toList();
    }

    /** The messages sent since the last call, then forgets them. */
    public List<IgmpMessage> take() {
        List<IgmpMessage> out = messages();
        sent.clear();
        return out;
    }

    public List<Sent> takeSent() {
        List<Sent> out = List.copyOf(sent);
        sent.clear();
        return out;
    }

    public int count() {
        return sent.size();
    }
}
