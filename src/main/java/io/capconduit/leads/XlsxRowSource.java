package io.capconduit.leads;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import com.fasterxml.aalto.stax.InputFactoryImpl;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.openxml4j.opc.PackageRelationship;
import org.apache.poi.openxml4j.opc.PackageRelationshipTypes;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;

/**
 * Streams the first visible sheet of an xlsx workbook (POI opens the package and styles; the shared strings go to a
 * temporary file, {@link SharedStringsFile}): one row in memory at a time, never the workbook. POI's zip-bomb
 * limits apply (see {@link SpreadsheetFiles}). Formula cells give their cached result; numeric cells keep the
 * number as stored so a phone typed as a number loses no digit.
 * <p>
 * The sheet itself, the one large part (about 450 MB of XML for a million rows of eight cells), is read by
 * Aalto's StAX parser: half the time of the JDK's SAX parser on the same sheet. A sheet never has a document
 * type declaration; one is refused before anything in it is read, so no entity is ever declared or fetched.
 */
final class XlsxRowSource implements RowSource {

    static final XMLInputFactory SHEETS = sheetParsers();

    private final Path file;
    private List<String> sheets = List.of();

    XlsxRowSource(Path file) {
        this.file = file;
    }

    @Override
    public void read(RowHandler handler) throws IOException {
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ);
                SharedStringsFile strings = SharedStringsFile.of(pkg, SHEETS)) {
            XSSFReader reader = new XSSFReader(pkg);
            StylesTable styles = reader.getStylesTable();
            Workbook workbook = workbook(reader, workbookPart(pkg));
            sheets = workbook.visibleSheets();
            try (InputStream sheet = reader.getSheet(workbook.firstVisibleSheet())) {
                XMLStreamReader xml = SHEETS.createXMLStreamReader(sheet);
                try {
                    new SheetReader(handler, strings, styles, workbook.date1904()).read(xml);
                }
                finally {
                    xml.close();
                }
            }
        }
        catch (LeadImportException | RowHandler.Stop | UncheckedIOException ex) {
            throw ex;   // the file's verdict, the end of the step, or our own temporary file
        }
        catch (Exception ex) {
            // POI reports a damaged package through many exception types, checked and unchecked alike
            throw damaged(ex);
        }
    }

    /**
     * What the workbook part says of its sheets: whether it counts its dates from 1904 (old Mac Excel, its
     * {@code workbookPr}), and the relationship id of the first worksheet in tab order that is not hidden: the
     * sheet an operator sees first, whichever tab was open when the file was saved. A hidden sheet (lookups,
     * settings a template keeps out of sight) or a chart sheet is no list of leads.
     */
    record Workbook(boolean date1904, String firstVisibleSheet, List<String> visibleSheets) {
    }

    @Override
    public List<String> sheets() {
        return sheets;
    }

    /** The workbook's own part, as XSSFReader finds it (which has already refused a package without one). */
    private static PackagePart workbookPart(OPCPackage pkg) throws Exception {
        return pkg.getPart(pkg.getRelationshipsByType(PackageRelationshipTypes.CORE_DOCUMENT).getRelationship(0));
    }

    /** Whether the sheet is a worksheet, not a chart sheet (a tab holding one chart) or a macro or dialog sheet. */
    private static boolean isWorksheet(PackagePart workbookPart, String id) throws Exception {
        PackageRelationship relationship = workbookPart.getRelationship(id);
        return relationship != null && relationship.getRelationshipType().endsWith("/worksheet");
    }

    private static Workbook workbook(XSSFReader reader, PackagePart workbookPart) throws Exception {
        boolean date1904 = false;
        boolean anySheet = false;
        String first = null;
        List<String> visible = new ArrayList<>();
        try (InputStream part = reader.getWorkbookData()) {
            XMLStreamReader xml = SHEETS.createXMLStreamReader(part);
            try {
                while (xml.hasNext()) {
                    int event = xml.next();
                    if (event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
                        throw new XMLStreamException("a workbook never declares a document type or entities");
                    }
                    if (event == XMLStreamConstants.END_ELEMENT && "sheets".equals(xml.getLocalName())) {
                        break;
                    }
                    if (event != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    if ("workbookPr".equals(xml.getLocalName())) {
                        String value = xml.getAttributeValue(null, "date1904");
                        date1904 = "1".equals(value) || "true".equalsIgnoreCase(value);
                    }
                    else if ("sheet".equals(xml.getLocalName())) {
                        anySheet = true;
                        String state = xml.getAttributeValue(null, "state");
                        String id = relationshipId(xml);
                        if ((state == null || "visible".equals(state)) && id != null && isWorksheet(workbookPart, id)) {
                            first = first == null ? id : first;
                            visible.add(String.valueOf(xml.getAttributeValue(null, "name")));
                        }
                    }
                }
            }
            finally {
                xml.close();
            }
        }
        if (first == null) {
            throw new LeadImportException(anySheet ? "The workbook has no visible sheet: unhide the sheet to import "
                    + "(right-click a sheet tab, Unhide) and save it again" : "The workbook has no sheet");
        }
        return new Workbook(date1904, first, List.copyOf(visible));
    }

    /** A sheet's {@code r:id}, whichever namespace prefix (or, in strict OOXML, namespace) the file gives it. */
    private static String relationshipId(XMLStreamReader xml) {
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            String namespace = xml.getAttributeNamespace(i);
            if ("id".equals(xml.getAttributeLocalName(i)) && namespace != null && !namespace.isEmpty()) {
                return xml.getAttributeValue(i);
            }
        }
        return null;
    }

    private static XMLInputFactory sheetParsers() {
        XMLInputFactory factory = new InputFactoryImpl();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        return factory;
    }

    static LeadImportException damaged(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("Zip bomb")) {
                return new LeadImportException("The workbook was refused as a possible zip bomb: it expands far "
                        + "more than a spreadsheet does. Save it again in Excel, or upload it as csv", ex);
            }
        }
        return new LeadImportException("The xlsx workbook is damaged and cannot be read (" + ex.getClass()
                .getSimpleName() + "): save it again in Excel, or upload it as csv", ex);
    }

    /** Collects the cells of one row; columns come from the cell reference, so skipped empty cells stay empty. */
    private static final class SheetReader {

        /** Excel's last column, XFD, and the most characters it keeps in a cell. */
        static final int MAX_COLUMNS = 16_384;
        static final int MAX_CELL_TEXT = 32_767;
        /**
         * Beyond the powers of ten of any number a spreadsheet holds: Excel's run from about 1E-308 to 1E+308, a
         * double's down to 4.9E-324.
         */
        static final int MAX_EXPONENT = 330;
        /** 9999-12-31 as an Excel serial number in the 1900 and the 1904 date system: the last date Excel shows. */
        private static final double LAST_DATE_1900 = 2_958_466;
        private static final double LAST_DATE_1904 = 2_957_004;

        private final RowHandler handler;
        private final SharedStringsFile strings;
        private final StylesTable styles;
        private final boolean date1904;
        private final Map<Integer, Boolean> dateStyles = new HashMap<>();
        private final StringBuilder text = new StringBuilder();
        private final StringBuilder formula = new StringBuilder();
        private String[] values = new String[32];
        private byte[] kinds = new byte[32];
        private int rowNumber;
        private int cellCount;
        private int column;
        private String type;
        private int style;
        private boolean collecting;
        private boolean collectingFormula;
        private boolean hasValue;
        private boolean hasFormula;

        SheetReader(RowHandler handler, SharedStringsFile strings, StylesTable styles, boolean date1904) {
            this.handler = handler;
            this.strings = strings;
            this.styles = styles;
            this.date1904 = date1904;
        }

        void read(XMLStreamReader xml) throws XMLStreamException {
            while (xml.hasNext()) {
                switch (xml.next()) {
                    case XMLStreamConstants.START_ELEMENT -> start(xml);
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (collecting) {
                            if (text.length() + xml.getTextLength() > MAX_CELL_TEXT) {
                                throw tooLong();
                            }
                            text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                        }
                        else if (collectingFormula) {
                            if (formula.length() + xml.getTextLength() > MAX_CELL_TEXT) {
                                throw tooLong();
                            }
                            formula.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> end(xml.getLocalName());
                    case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE ->
                        throw new XMLStreamException("a worksheet never declares a document type or entities");
                    default -> {
                    }
                }
            }
        }

        private void start(XMLStreamReader xml) {
            switch (xml.getLocalName()) {
                case "row" -> {
                    String r = xml.getAttributeValue(null, "r");
                    rowNumber = r == null ? rowNumber + 1 : Integer.parseInt(r);
                    cellCount = 0;
                    column = -1;
                }
                case "c" -> {
                    String ref = xml.getAttributeValue(null, "r");
                    column = ref == null ? column + 1 : columnOf(ref);
                    if (column >= MAX_COLUMNS) {
                        throw new LeadImportException("Row " + rowNumber + " has a cell" + (ref == null ? ""
                                : " (" + ref + ")") + " beyond column XFD, the last of Excel's 16,384 columns: "
                                + "not a spreadsheet Excel wrote. Save it again in Excel, or upload it as csv");
                    }
                    type = xml.getAttributeValue(null, "t");
                    String s = xml.getAttributeValue(null, "s");
                    style = s == null ? 0 : Integer.parseInt(s);
                    text.setLength(0);
                    hasValue = false;
                    hasFormula = false;
                }
                case "v", "t" -> {
                    collecting = true;
                    hasValue = true;
                }
                case "f" -> {
                    collectingFormula = true;
                    hasFormula = true;
                    formula.setLength(0);
                }
                default -> {
                }
            }
        }

        private void end(String localName) {
            switch (localName) {
                case "v", "t" -> collecting = false;
                case "f" -> collectingFormula = false;
                case "c" -> cell();
                case "row" -> handler.row(rowNumber, values, kinds, cellCount);
                default -> {
                }
            }
        }

        private void cell() {
            if (column >= values.length) {
                values = Arrays.copyOf(values, Math.max(column + 1, values.length * 2));
                kinds = Arrays.copyOf(kinds, values.length);
            }
            for (int i = cellCount; i < column; i++) {
                values[i] = "";
                kinds[i] = CellKind.TEXT;
            }
            cellCount = Math.max(cellCount, column + 1);
            String raw = hasValue ? text.toString() : "";
            byte kind = CellKind.TEXT;
            String value = raw;
            if (type == null || "n".equals(type)) {
                if (!raw.isEmpty()) {
                    checkRange(raw);
                    String date = isDateStyle(style) ? isoDate(raw) : null;
                    kind = date == null ? CellKind.NUMBER : CellKind.DATE;
                    value = date == null ? raw : date;
                }
            }
            else if ("s".equals(type)) {
                value = raw.isEmpty() ? "" : strings.get(Integer.parseInt(raw));
                if (value.length() > MAX_CELL_TEXT) {
                    throw tooLong();
                }
            }
            else if ("b".equals(type)) {
                value = "1".equals(raw) ? "TRUE" : "FALSE";
            }
            else if ("e".equals(type)) {
                kind = CellKind.ERROR;
            }
            if (hasFormula && !hasValue) {
                // a program wrote the formula and left its calculation to Excel: the cell is not empty, its value
                // is unknown (the cells of a shared formula after its first carry no text of their own)
                kind = CellKind.FORMULA;
                value = "=" + formula;
            }
            values[column] = value;
            kinds[column] = kind;
        }

        private boolean isDateStyle(int index) {
            return dateStyles.computeIfAbsent(index, i -> {
                if (styles == null || i >= styles.getNumCellStyles()) {
                    return false;
                }
                XSSFCellStyle cellStyle = styles.getStyleAt(i);
                return cellStyle != null
                        && DateUtil.isADateFormat(cellStyle.getDataFormat(), cellStyle.getDataFormatString());
            });
        }

        /**
         * A date-formatted number as an ISO date, date-time or (below 1, a day's fraction) time; null when Excel
         * shows no date for it either (negative, or past 9999-12-31, such as a phone in a date-formatted column):
         * then it is a plain number.
         */
        private String isoDate(String raw) {
            double serial = new BigDecimal(raw).doubleValue();
            if (serial < 0 || serial >= (date1904 ? LAST_DATE_1904 : LAST_DATE_1900)) {
                return null;
            }
            LocalDateTime dateTime = DateUtil.getLocalDateTime(serial, date1904);
            if (dateTime == null) {
                return null;
            }
            if (serial < 1) {
                return dateTime.toLocalTime().toString();
            }
            return dateTime.toLocalTime().toSecondOfDay() == 0 ? dateTime.toLocalDate().toString()
                    : dateTime.toString();
        }

        /**
         * Refuses a number whose power of ten is beyond any a spreadsheet holds: the import keeps a number as the
         * digits Excel shows, and those of 1E2000000000, a few bytes in the file, fill the heap.
         */
        private void checkRange(String raw) {
            int e = raw.indexOf('E');
            if (e < 0) {
                e = raw.indexOf('e');
            }
            if (e < 0) {
                return;
            }
            int exponent;
            try {
                exponent = Integer.parseInt(raw, e + 1, raw.length(), 10);
            }
            catch (NumberFormatException ex) {
                exponent = Integer.MAX_VALUE;
            }
            if (Math.abs((long) exponent) > MAX_EXPONENT) {
                throw new LeadImportException("Row " + rowNumber + " has a number (" + cellRef() + ") beyond the "
                        + "largest and smallest Excel holds: not a spreadsheet Excel wrote. Save it again in Excel, or "
                        + "upload it as csv");
            }
        }

        /** The reference of the current cell, e.g. B2. */
        private String cellRef() {
            StringBuilder letters = new StringBuilder();
            for (int c = column + 1; c > 0; c = (c - 1) / 26) {
                letters.insert(0, (char) ('A' + (c - 1) % 26));
            }
            return letters.toString() + rowNumber;
        }

        private LeadImportException tooLong() {
            return new LeadImportException("Row " + rowNumber + " has a cell longer than 32,767 characters, the most "
                    + "Excel keeps in a cell: not a lead spreadsheet. Save it again in Excel, or upload it as csv");
        }

        /** The column of a cell reference such as AB12; any column past XFD is returned as MAX_COLUMNS. */
        private static int columnOf(String ref) {
            int col = 0;
            for (int i = 0; i < ref.length(); i++) {
                char c = ref.charAt(i);
                if (c < 'A' || c > 'Z') {
                    break;
                }
                col = col * 26 + (c - 'A' + 1);
                if (col > MAX_COLUMNS) {
                    return MAX_COLUMNS;
                }
            }
            return col - 1;
        }
    }
}
