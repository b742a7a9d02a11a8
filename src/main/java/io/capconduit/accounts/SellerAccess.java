package io.capconduit.accounts;

import java.util.Optional;
import java.util.function.ToLongFunction;

import io.capconduit.system.InvalidInputException;
import io.capconduit.system.NotFoundException;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Seller isolation in one place. A SELLER sees only rows of its own seller; staff and admins see all. An
 * object of another seller is answered exactly like a missing one ({@link NotFoundException}), so ids of
 * other sellers' objects cannot be probed. Use it in services after loading by id:
 * {@code SellerAccess.visible(campaigns.findById(id), Campaign::sellerId, "Campaign", id)}.
 */
public final class SellerAccess {

    private SellerAccess() {
    }

    /** The signed-in user of this request. */
    public static AuthenticatedUser currentUser() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof AuthenticatedUser user) {
            return user;
        }
        throw new IllegalStateException("No signed-in user");
    }

    /** The seller the current user is confined to, or {@code null} when it may see every seller. */
    public static Long scope() {
        return currentUser().sellerScope();
    }

    /** Whether the current user may see an object owned by {@code ownerSellerId} (null: a house object). */
    public static boolean maySee(Long ownerSellerId) {
        Long scope = scope();
        return scope == null || scope.equals(ownerSellerId);
    }

    /** The object if it exists and the caller may see it; otherwise NOT_FOUND for {@code type} and {@code id}. */
    public static <T> T visible(Optional<T> found, ToLongFunction<T> owner, String type, Object id) {
        return found.filter(object -> maySee(owner.applyAsLong(object)))
                .orElseThrow(() -> new NotFoundException(type, id));
    }

    /**
     * The seller a new object belongs to: a SELLER always creates for itself (naming another seller is
     * NOT_FOUND); staff and admins must name one in {@code field}.
     */
    public static long owningSeller(Long requested, String field) {
        Long scope = scope();
        if (scope != null) {
            if (requested != null && !requested.equals(scope)) {
                throw new NotFoundException("Seller", requested);
            }
            return scope;
        }
        if (requested == null) {
            throw new InvalidInputException(field, "is required");
        }
        return requested;
    }
}
