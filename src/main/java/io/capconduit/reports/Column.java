package io.capconduit.reports;

/** One column of an exported sheet: its header, how its cells are typed, and its width in characters. */
record Column(String title, Type type, int width) {

    enum Type {
        TEXT, INTEGER, DECIMAL, PERCENT, BOOLEAN, DATE_TIME
    }
}
