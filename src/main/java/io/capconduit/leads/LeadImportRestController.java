package io.capconduit.leads;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import io.capconduit.accounts.AuthenticatedUser;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Upload a lead (or DNC) file and get the job execution id at once; follow it; download its rejected rows.
 * Files go as multipart field {@code file}; the import runs in the background.
 */
@RestController
class LeadImportRestController {

    private static final MediaType XLSX =
            MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private final LeadImportService imports;
    private final RejectReport report;

    LeadImportRestController(LeadImportService imports, RejectReport report) {
        this.imports = imports;
        this.report = report;
    }

    @PostMapping(path = "/api/leads/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<LeadImportStatus> importLeads(@RequestParam long listId, @RequestParam MultipartFile file,
            @RequestParam(required = false) String mapping, @AuthenticationPrincipal AuthenticatedUser user)
            throws Exception {
        try (InputStream content = file.getInputStream()) {
            return ResponseEntity.status(HttpStatus.ACCEPTED)
                    .body(imports.upload(listId, file.getOriginalFilename(), content, mapping, null, user));
        }
    }

    @PostMapping(path = "/api/dnc/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<LeadImportStatus> importDnc(@RequestParam MultipartFile file,
            @RequestParam(required = false) String region, @AuthenticationPrincipal AuthenticatedUser user)
            throws Exception {
        try (InputStream content = file.getInputStream()) {
            return ResponseEntity.status(HttpStatus.ACCEPTED)
                    .body(imports.upload(null, file.getOriginalFilename(), content, null, region, user));
        }
    }

    @GetMapping("/api/leads/import/{executionId}")
    LeadImportStatus status(@PathVariable long executionId, @AuthenticationPrincipal AuthenticatedUser user) {
        return imports.status(executionId, user);
    }

    @GetMapping("/api/leads/import/{executionId}/rejects.csv")
    ResponseEntity<StreamingResponseBody> rejectsCsv(@PathVariable long executionId,
            @AuthenticationPrincipal AuthenticatedUser user) {
        LeadImportService.RejectsOf rejects = imports.rejectsOf(executionId, user);
        return download("rejected-rows-" + executionId + ".csv", new MediaType("text", "csv"),
                out -> report.csv(rejects, out));
    }

    @GetMapping("/api/leads/import/{executionId}/rejects.xlsx")
    ResponseEntity<StreamingResponseBody> rejectsXlsx(@PathVariable long executionId,
            @AuthenticationPrincipal AuthenticatedUser user) {
        LeadImportService.RejectsOf rejects = imports.rejectsOf(executionId, user);
        return download("rejected-rows-" + executionId + ".xlsx", XLSX, out -> report.xlsx(rejects, out));
    }

    private static ResponseEntity<StreamingResponseBody> download(String name, MediaType type,
            StreamingResponseBody body) {
        return ResponseEntity.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"").body(body);
    }

    /** Spring's own refusals (no listId, listId=abc, no file part) named as ours are, not a bare 400. */
    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Map<String, String>> missing(MissingServletRequestParameterException ex) {
        return ResponseEntity.badRequest().body(Map.of("field", ex.getParameterName(), "message", "is required"));
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<Map<String, String>> missingFile(MissingServletRequestPartException ex) {
        return ResponseEntity.badRequest().body(Map.of("field", ex.getRequestPartName(), "message",
                "is required: send the file as the multipart field '" + ex.getRequestPartName() + "'"));
    }

    @ExceptionHandler(IOException.class)
    ResponseEntity<Map<String, String>> unreadable(IOException ex) {
        return ResponseEntity.badRequest().body(Map.of("message", "The upload could not be stored"));
    }
}
