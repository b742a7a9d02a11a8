package io.capconduit.reports;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Where the nightly report job writes its workbooks ({@code capconduit.reports.folder}). */
@ConfigurationProperties("capconduit.reports")
public record ReportsProperties(@DefaultValue("./reports") Path folder) {
}
