package io.capconduit.system;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The refusals every REST endpoint ({@code /api/...}) answers alike, in the body the GraphQL API's errors carry:
 * {@code {"field", "message"}} for a bad argument (400), {@code {"message"}} for an unknown or unseen object (404).
 * An endpoint's own refusals (a file that could not be stored, an export past its timeout) stay in its controller.
 */
@RestControllerAdvice
class RestErrors {

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<Map<String, String>> invalid(InvalidInputException ex) {
        return ResponseEntity.badRequest().body(Map.of("field", ex.field(), "message", ex.getMessage()));
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Map<String, String>> notFound(NotFoundException ex) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("message", ex.getMessage()));
    }

    /** A parameter Spring could not convert (by=campaign, groupBy=WEEK, listId=abc), named as ours are. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, String>> unconverted(MethodArgumentTypeMismatchException ex) {
        Class<?> type = ex.getRequiredType();
        String expected = type == null ? "a valid value"
                : type.isEnum() ? "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                        .collect(Collectors.joining(", "))
                : Number.class.isAssignableFrom(type) || type.isPrimitive() ? "a whole number" : "a valid value";
        return ResponseEntity.badRequest().body(Map.of("field", ex.getName(), "message", "must be " + expected));
    }
}
