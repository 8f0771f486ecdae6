// Reads each .properties file named on the command line with java.util.Properties.load (UTF-8) and
// prints one line per file: the file, a tab, then `error`, `repeats` (a key given twice: driftwise
// refuses it), `unpaired` (a value Java holds with half a surrogate pair, which no Rust string can)
// or the properties as a JSON object.
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.*;

public class Dump {
    static boolean repeated;

    static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static boolean unpaired(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
            else if (Character.isSurrogate(c)) return true;
        }
        return false;
    }

    public static void main(String[] args) throws Exception {
        for (String f : args) {
            repeated = false;
            Properties p = new Properties() {
                @Override
                public synchronized Object put(Object k, Object v) {
                    if (containsKey(k)) repeated = true;
                    return super.put(k, v);
                }
            };
            try (Reader r = new InputStreamReader(new FileInputStream(f), StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IllegalArgumentException e) {
                System.out.println(f + "\terror");
                continue;
            }
            TreeMap<String, String> m = new TreeMap<>();
            for (String k : p.stringPropertyNames()) m.put(k, p.getProperty(k));
            if (repeated) { System.out.println(f + "\trepeats"); continue; }
            if (m.entrySet().stream().anyMatch(e -> unpaired(e.getKey()) || unpaired(e.getValue()))) {
                System.out.println(f + "\tunpaired");
                continue;
            }
            StringBuilder b = new StringBuilder("{");
            for (Map.Entry<String, String> e : m.entrySet()) {
                if (b.length() > 1) b.append(", ");
                b.append(quoted(e.getKey())).append(": ").append(quoted(e.getValue()));
            }
            System.out.println(f + "\t" + b.append("}"));
        }
    }
}
