package io.switchboard.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} and {@code --flag} options, plus positional words. */
final class Args {
    final Map<String, String> opts = new LinkedHashMap<>();
    final List<String> positional = new ArrayList<>();

    Args(String[] argv) {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--")) {
                String key = a.substring(2);
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    opts.put(key.substring(0, eq), key.substring(eq + 1));
                } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                    opts.put(key, argv[++i]);
                } else {
                    opts.put(key, "true");
                }
            } else {
                positional.add(a);
            }
        }
    }

    String str(String k, String def) {
        return opts.getOrDefault(k, def);
    }

    int integer(String k, int def) {
        String v = opts.get(k);
        return v == null ? def : Integer.parseInt(v.replace("_", ""));
    }

    double dbl(String k, double def) {
        String v = opts.get(k);
        return v == null ? def : Double.parseDouble(v);
    }

    boolean flag(String k) {
        String v = opts.get(k);
        return v != null && !v.equals("false");
    }

    boolean has(String k) {
        return opts.containsKey(k);
    }
}
