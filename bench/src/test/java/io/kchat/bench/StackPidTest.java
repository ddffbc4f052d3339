package io.kchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StackPidTest {

    @Test
    void barePidsAsBenchRunPassedThemBeforeStillParse() {
        assertEquals(List.of(new StackPid("", 101), new StackPid("", 202)), StackPid.parseList("101, 202"));
        assertEquals(List.of(), StackPid.parseList(""));
        assertEquals(List.of(), StackPid.parseList(" , "));
    }

    @Test
    void namedPidsKeepTheirNameAndOrder() {
        assertEquals(List.of(new StackPid("infra", 10), new StackPid("processor-1", 11), new StackPid("gateway-2", 14),
                new StackPid("", 15)), StackPid.parseList("infra=10,processor-1=11, gateway-2 = 14,15"));
    }

    @Test
    void aLabelSaysTheRoleAndThePid() {
        assertEquals("delivery-2 (pid 42)", new StackPid("delivery-2", 42).label());
        assertEquals("pid 42", new StackPid("", 42).label());
    }

    @Test
    void refusesWhatWouldMisattributeCpu() {
        assertThrows(IllegalArgumentException.class, () -> StackPid.parseList("a=1,b=1"), "one pid twice");
        assertThrows(IllegalArgumentException.class, () -> StackPid.parseList("a=1,a=2"), "one name twice");
        assertThrows(IllegalArgumentException.class, () -> StackPid.parseList("=5"), "no name");
        assertThrows(IllegalArgumentException.class, () -> StackPid.parseList("a=x"), "no number");
        assertThrows(IllegalArgumentException.class, () -> StackPid.parseList("a=-3"), "not a pid");
        assertThrows(IllegalArgumentException.class, () -> StackPid.parseList("a b=3"), "not a name");
    }
}
