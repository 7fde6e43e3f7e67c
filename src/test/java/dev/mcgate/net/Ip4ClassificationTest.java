package dev.mcgate.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The multicast address classes the codec and the forwarder rely on, at the edges of each range. */
class Ip4ClassificationTest {

    @ParameterizedTest
    @CsvSource({
        // address, multicast, link-local 224.0.0.0/24, admin scope 239/8, SSM 232/8
        "223.255.255.255, false, false, false, false",
        "224.0.0.0, true, true, false, false",
        "224.0.0.22, true, true, false, false",
        "224.0.0.255, true, true, false, false",
        "224.0.1.0, true, false, false, false",
        "231.255.255.255, true, false, false, false",
        "232.0.0.0, true, false, false, true",
        "232.255.255.255, true, false, false, true",
        "238.255.255.255, true, false, false, false",
        "239.0.0.0, true, false, true, false",
        "239.255.255.255, true, false, true, false",
        "240.0.0.0, false, false, false, false",
        "10.0.0.1, false, false, false, false"
    })
    void classifies(String address, boolean multicast, boolean linkLocal, boolean adminScoped, boolean ssm) {
        Ip4 ip = Ip4.parse(address);
        assertEquals(multicast, ip.isMulticast());
        assertEquals(linkLocal, ip.isLinkLocalMulticast());
        assertEquals(adminScoped, ip.isAdminScoped());
        assertEquals(ssm, ip.isSourceSpecific());
    }
}
