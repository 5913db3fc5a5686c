package io.switchboard.config;

/**
 * One configuration key: its dotted path in {@code switchboard.yaml}, the environment variable
 * that overrides it, its default and its allowed range. Strings have no range.
 */
record Setting(String path, String env, Object defaultValue, long min, long max, java.util.List<String> choices) {

    static Setting integer(String path, String env, long def, long min, long max) {
        return new Setting(path, env, def, min, max, null);
    }

    static Setting string(String path, String env, String def) {
        return new Setting(path, env, def, 0, 0, null);
    }

    /** A string that must be one of {@code choices}. */
    static Setting choice(String path, String env, String def, String... choices) {
        return new Setting(path, env, def, 0, 0, java.util.List.of(choices));
    }

    static Setting bool(String path, String env, boolean def) {
        return new Setting(path, env, def, 0, 0, null);
    }

    /** Parses a raw value (from YAML or the environment) into this setting's type, or returns an error text. */
    Object parse(Object raw, java.util.List<String> errors, String source) {
        if (defaultValue instanceof Long) {
            long v;
            if (raw instanceof Number n && !(raw instanceof Double) && !(raw instanceof Float)) {
                v = n.longValue();
            } else if (raw instanceof String s && s.trim().matches("-?\\d+")) {
                v = Long.parseLong(s.trim());
            } else {
                errors.add(source + ": " + path + " must be an integer, got '" + raw + "'");
                return null;
            }
            if (v < min || v > max) {
                errors.add(source + ": " + path + " must be between " + min + " and " + max + ", got " + v);
                return null;
            }
            return v;
        }
        if (defaultValue instanceof Boolean) {
            if (raw instanceof Boolean b) {
                return b;
            }
            if (raw instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                return Boolean.parseBoolean(s);
            }
            errors.add(source + ": " + path + " must be true or false, got '" + raw + "'");
            return null;
        }
        if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
            if (choices != null && !choices.contains(raw.toString())) {
                errors.add(source + ": " + path + " must be one of " + String.join(", ", choices) + ", got '" + raw + "'");
                return null;
            }
            return raw.toString();
        }
        errors.add(source + ": " + path + " must be a string");
        return null;
    }
}
