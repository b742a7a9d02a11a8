package io.capconduit.leads;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.capconduit.accounts.SellerAccess;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.graphql.Connection;
import io.capconduit.system.graphql.KeysetCursor;
import io.capconduit.system.graphql.PageRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The do-not-call list by hand: numbers read exactly as a DNC file's are (libphonenumber, the same refusals), so
 * a number added here is the number the import, the hopper fill and the dialer compare. Adding is open to anyone
 * signed in (an opt-out is honoured whoever takes it); reading the whole list and removing are staff business.
 */
@Service
@PreAuthorize("isAuthenticated()")
class DncService {

    static final int MAX_NUMBERS = 10_000;
    private static final String CURSORS = "dnc-numbers";
    private static final Logger log = LoggerFactory.getLogger(DncService.class);

    private final DncMapper dnc;
    private final PhoneNumbers phoneNumbers;

    DncService(DncMapper dnc, PhoneNumbers phoneNumbers) {
        this.dnc = dnc;
        this.phoneNumbers = phoneNumbers;
    }

    record DncNumbersInput(List<String> phones, String region, String reason) {
    }

    record RefusedPhone(String value, String reason) {
    }

    record AddDncNumbersPayload(int added, int alreadyListed, int cancelledQueueEntries, List<RefusedPhone> refused) {
    }

    record RemoveDncNumbersPayload(int removed, List<RefusedPhone> refused) {
    }

    /** The numbers as E.164, each once, and the values that are not phone numbers. */
    private record Numbers(String[] e164, List<RefusedPhone> refused) {
    }

    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    Connection<DncNumber> page(Integer first, String after) {
        PageRequest page = PageRequest.of(first, after, CURSORS);
        return Connection.of(dnc.findPage(page.after(), page.fetchSize()), page,
                number -> KeysetCursor.ofId(CURSORS, Long.parseLong(number.phone().substring(1))));
    }

    DncNumber find(String phone, String region) {
        PhoneNumbers.Parsed parsed = phoneNumbers.parse(phone, CellKind.TEXT, region(region));
        if (parsed.e164() == null) {
            throw new InvalidInputException("phone", parsed.reason());
        }
        return dnc.find(parsed.e164(), SellerAccess.scope()).orElse(null);
    }

    @Transactional
    AddDncNumbersPayload add(DncNumbersInput input) {
        String reason = input.reason() == null || input.reason().isBlank() ? null : input.reason().strip();
        if (reason != null && reason.length() > 200) {
            throw new InvalidInputException("input.reason", "must be at most 200 characters");
        }
        Numbers numbers = numbers(input);
        Long scope = SellerAccess.scope();
        int added = numbers.e164().length == 0 ? 0 : dnc.add(numbers.e164(), reason, scope).size();
        List<Long> cancelledFor = numbers.e164().length == 0 ? List.of() : dnc.cancelQueued(numbers.e164());
        int cancelled = cancelledFor.size();
        log.info("{} added {} numbers to the do-not-call list ({} listed already, {} refused, {} queued calls "
                        + "cancelled)", SellerAccess.currentUser().getUsername(), added, input.phones().size() - added
                        - numbers.refused().size(), numbers.refused().size(), cancelled);
        // every seller's queued calls are cancelled, but a seller is told of its own only: whether another seller
        // was about to call a number is that seller's business
        int told = scope == null ? cancelled : (int) cancelledFor.stream().filter(scope::equals).count();
        return new AddDncNumbersPayload(added, input.phones().size() - numbers.refused().size() - added, told,
                numbers.refused());
    }

    @Transactional
    @PreAuthorize("hasAnyRole('ADMIN', 'STAFF')")
    RemoveDncNumbersPayload remove(DncNumbersInput input) {
        Numbers numbers = numbers(input);
        int removed = numbers.e164().length == 0 ? 0 : dnc.remove(numbers.e164());
        log.info("{} took {} numbers off the do-not-call list", SellerAccess.currentUser().getUsername(), removed);
        return new RemoveDncNumbersPayload(removed, numbers.refused());
    }

    private Numbers numbers(DncNumbersInput input) {
        List<String> phones = input.phones() == null ? List.of() : input.phones();
        if (phones.isEmpty() || phones.size() > MAX_NUMBERS) {
            throw new InvalidInputException("input.phones", "must hold 1 to " + MAX_NUMBERS + " numbers, not "
                    + phones.size() + (phones.size() > MAX_NUMBERS ? " (import a larger list as a DNC file)" : ""));
        }
        String region = region(input.region());
        Set<String> e164 = new LinkedHashSet<>();
        List<RefusedPhone> refused = new ArrayList<>();
        for (String phone : phones) {
            PhoneNumbers.Parsed parsed = phoneNumbers.parse(phone, CellKind.TEXT, region);
            if (parsed.e164() == null) {
                refused.add(new RefusedPhone(phone, parsed.reason()));
            }
            else {
                e164.add(parsed.e164());
            }
        }
        return new Numbers(e164.toArray(String[]::new), refused);
    }

    private static String region(String region) {
        return PhoneNumbers.region("region", region == null ? "US" : region);
    }
}
