package io.capconduit.leads;

import java.util.List;

import io.capconduit.accounts.AuthenticatedUser;
import reactor.core.publisher.Flux;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SubscriptionMapping;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

@Controller
class LeadImportController {

    private final LeadImportService imports;

    LeadImportController(LeadImportService imports) {
        this.imports = imports;
    }

    @QueryMapping
    LeadImportStatus leadImport(@Argument long executionId, @AuthenticationPrincipal AuthenticatedUser user) {
        return imports.status(executionId, user);
    }

    @SubscriptionMapping
    Flux<LeadImportStatus> leadImportProgress(@Argument long executionId,
            @AuthenticationPrincipal AuthenticatedUser user) {
        return imports.progress(executionId, user);
    }

    @MutationMapping
    LeadImportPayload importLeadsFromServerFile(@Argument ImportLeadsFromServerFileInput input,
            @AuthenticationPrincipal AuthenticatedUser user) throws Exception {
        return LeadImportPayload.of(imports.importServerFile(input.listId(), input.path(),
                LeadImportService.ColumnChoice.joined(input.mapping()), null, user));
    }

    @MutationMapping
    LeadImportPayload importDncFromServerFile(@Argument ImportDncFromServerFileInput input,
            @AuthenticationPrincipal AuthenticatedUser user) throws Exception {
        return LeadImportPayload.of(imports.importServerFile(null, input.path(),
                LeadImportService.ColumnChoice.joined(input.mapping()), input.region(), user));
    }

    @MutationMapping
    LeadImportPayload restartLeadImport(@Argument long executionId, @AuthenticationPrincipal AuthenticatedUser user)
            throws Exception {
        return LeadImportPayload.of(imports.restart(executionId, user));
    }

    record ImportLeadsFromServerFileInput(long listId, String path, List<LeadImportService.ColumnChoice> mapping) {
    }

    record ImportDncFromServerFileInput(String path, List<LeadImportService.ColumnChoice> mapping, String region) {
    }

    record LeadImportPayload(long executionId, LeadImportStatus leadImport) {

        static LeadImportPayload of(LeadImportStatus status) {
            return new LeadImportPayload(status.executionId(), status);
        }
    }
}
