package io.capconduit.routing;

import java.util.List;

import io.capconduit.accounts.SellerAccess;
import io.capconduit.system.InputChecks;
import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Sellers: every role reads what it may see (a seller: itself); ADMIN creates and changes them. */
@Service
class SellerService {

    private final SellerMapper sellers;

    SellerService(SellerMapper sellers) {
        this.sellers = sellers;
    }

    @PreAuthorize("isAuthenticated()")
    List<Seller> findVisible() {
        Long scope = SellerAccess.scope();
        return scope == null ? sellers.findAll() : sellers.findById(scope).stream().toList();
    }

    @PreAuthorize("isAuthenticated()")
    Seller find(long id) {
        return SellerAccess.visible(sellers.findById(id), Seller::id, "Seller", id);
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    Seller create(SellerController.SellerInput input) {
        Seller seller = merge(new Seller(0, null, null, "UTC", true, null, null), input);
        return find(sellers.insert(seller));
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    Seller update(long id, SellerController.SellerInput input) {
        // locked: the update writes every column back, so it may not start from a row another one is changing
        Seller current = sellers.findByIdForUpdate(id).orElseThrow(() -> new NotFoundException("Seller", id));
        sellers.update(merge(current, input));
        return find(id);
    }

    @PreAuthorize("hasRole('ADMIN')")
    @Transactional
    Seller deactivate(long id) {
        return update(id, new SellerController.SellerInput(null, null, null, false));
    }

    private Seller merge(Seller current, SellerController.SellerInput in) {
        String name = InputChecks.name("name", InputChecks.or(in.name(), current.name()), 200);
        if (sellers.nameTaken(name, current.id())) {
            throw new InvalidInputException("name", "a seller named '" + name + "' exists already");
        }
        String email = InputChecks.text(in.email(), current.email());
        if (email != null && !email.matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
            throw new InvalidInputException("email", "is not an e-mail address");
        }
        return new Seller(current.id(), name, email,
                InputChecks.timeZoneOr("timeZone", in.timeZone(), current.timeZone()),
                InputChecks.or(in.active(), current.active()), null, null);
    }
}
