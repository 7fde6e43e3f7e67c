package dev.mcgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AUTO recognises igmpproxy.conf by its first meaningful keyword. */
class FormatDetectionTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "quickleave\\nphyint eth0 upstream                | IGMPPROXY",
                "# comment\\n\\n   phyint eth0 upstream            | IGMPPROXY",
                "defaultdown                                       | IGMPPROXY",
                "rescanvif 5                                       | IGMPPROXY",
                "chroot /var/empty                                 | IGMPPROXY",
                "user nobody                                       | IGMPPROXY",
                "hashtablesize 64                                  | IGMPPROXY",
                "# phyint in a comment\\ninterface eth0 {          | NATIVE",
                "log-level info\\nphyint eth0 upstream             | NATIVE",
                "defaults {                                        | NATIVE",
                "''                                                | NATIVE",
            })
    void firstKeywordDecides(String text, Format expected) {
        assertEquals(expected, ConfigLoader.detect(text.replace("\\n", "\n")));
    }

    @Test
    void autoParsesEitherFormat() throws ConfigException {
        assertEquals(
                Format.IGMPPROXY,
                ConfigLoader.parse("phyint eth0 upstream\nphyint eth1 downstream\n", "t.conf", Format.AUTO)
                        .detected());
        assertEquals(
                Format.NATIVE,
                ConfigLoader.parse("interface eth0 {\n role upstream\n}\n", "t.conf", Format.AUTO)
                        .detected());
    }

    @Test
    void explicitFormatIsReportedAsDetected() throws ConfigException {
        assertEquals(
                Format.IGMPPROXY,
                ConfigLoader.parse("phyint eth0 upstream\nphyint eth1 downstream\n", "t.conf", Format.IGMPPROXY)
                        .detected());
    }
}
