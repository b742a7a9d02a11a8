package io.capconduit.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * Streams an .xlsx with POI's SXSSF: only a window of rows stays in memory, the rest goes to temporary files
 * (left uncompressed: compressing them would cost a second deflate pass; the workbook itself is zipped).
 * Each sheet has a bold header row, frozen below it, fixed column widths and typed cells (numbers,
 * percentages, booleans, date-times). A sheet that reaches Excel's row limit continues in a new one.
 */
class XlsxSheetWriter implements SheetWriter {

    private boolean abandoned;

    private static final int ROWS_IN_MEMORY = 200;
    private static final int MAX_ROWS = SpreadsheetVersion.EXCEL2007.getMaxRows();

    private final OutputStream out;
    private final SXSSFWorkbook workbook = new SXSSFWorkbook(ROWS_IN_MEMORY);
    private final Map<Column.Type, CellStyle> styles = new EnumMap<>(Column.Type.class);
    private final CellStyle headerStyle;
    private SXSSFSheet sheet;
    private String sheetName;
    private List<Column> columns;
    private int sheetsOfThisName;
    private int nextRow;

    XlsxSheetWriter(OutputStream out) {
        this.out = out;
        styles.put(Column.Type.INTEGER, style("0"));
        styles.put(Column.Type.DECIMAL, style("0.00"));
        styles.put(Column.Type.PERCENT, style("0.00%"));
        styles.put(Column.Type.DATE_TIME, style("yyyy-mm-dd hh:mm:ss"));
        Font bold = workbook.createFont();
        bold.setBold(true);
        headerStyle = workbook.createCellStyle();
        headerStyle.setFont(bold);
    }

    @Override
    public void startSheet(String name, List<Column> columns) {
        this.sheetName = name;
        this.columns = columns;
        this.sheetsOfThisName = 0;
        newSheet();
    }

    private void newSheet() {
        sheetsOfThisName++;
        sheet = workbook.createSheet(sheetsOfThisName == 1 ? sheetName : sheetName + " (" + sheetsOfThisName + ")");
        Row header = sheet.createRow(0);
        for (int i = 0; i < columns.size(); i++) {
            Cell cell = header.createCell(i);
            cell.setCellValue(columns.get(i).title());
            cell.setCellStyle(headerStyle);
            sheet.setColumnWidth(i, Math.min(255, columns.get(i).width()) * 256);
        }
        sheet.createFreezePane(0, 1);
        nextRow = 1;
    }

    @Override
    public void row(Object... values) {
        if (nextRow == MAX_ROWS) {
            newSheet();
        }
        Row row = sheet.createRow(nextRow++);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                write(row.createCell(i), columns.get(i).type(), values[i]);
            }
        }
    }

    private void write(Cell cell, Column.Type type, Object value) {
        if (value instanceof Number number) {
            cell.setCellValue(number.doubleValue());
        }
        else if (value instanceof Boolean flag) {
            cell.setCellValue(flag);
        }
        else if (value instanceof LocalDateTime time) {
            cell.setCellValue(time);
        }
        else {
            cell.setCellValue(value.toString());
        }
        CellStyle style = styles.get(type);
        if (style != null) {
            cell.setCellStyle(style);
        }
    }

    private CellStyle style(String format) {
        CellStyle style = workbook.createCellStyle();
        style.setDataFormat(workbook.createDataFormat().getFormat(format));
        return style;
    }

    @Override
    public void abandon() {
        abandoned = true;
    }

    @Override
    public void close() throws IOException {
        try {
            if (!abandoned) {
                workbook.write(out);
                out.flush();
            }
        }
        finally {
            workbook.close();
        }
    }
}
