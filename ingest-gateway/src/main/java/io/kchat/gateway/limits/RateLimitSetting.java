package io.kchat.gateway.limits;

import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import java.util.List;

/**
 * A {@link RateLimit} as two settings: {@code NAME}, events per second (fractions allowed), and {@code NAME_BURST}.
 */
public record RateLimitSetting(Setting<Double> rate, Setting<Integer> burst) {

    public static RateLimitSetting of(String name, RateLimit defaults, String meaning) {
        return new RateLimitSetting(
                Setting.decimal(name, defaults.perSecond(), meaning + ": events per second"),
                Setting.integer(name + "_BURST", defaults.burst(), meaning + ": events at once"));
    }

    public RateLimit read(Settings settings) {
        return new RateLimit(settings.get(rate), settings.get(burst));
    }

    public List<Setting<?>> settings() {
        return List.of(rate, burst);
    }
}
